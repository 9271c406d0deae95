/** The part of the Trusted Types API we use (https://w3c.github.io/trusted-types/dist/spec/). */
interface TrustedTypesLike {
  createPolicy(
    name: string,
    rules: { createScriptURL(url: string): string },
  ): { createScriptURL(url: string): unknown };
}

/** Shops with `trusted-types` in their CSP allow this policy name for the SDK's script URLs (README "Security"). */
export const TRUSTED_TYPES_POLICY = 'wiz-klaviyo';

/**
 * A script URL the page's Trusted Types enforcement accepts: under `require-trusted-types-for 'script'` a plain string
 * assigned to `script.src` throws. One policy per page (a second SDK copy reuses it), passing only http(s) URLs.
 */
function trustedScriptUrl(src: string): unknown {
  const win = globalThis as {
    trustedTypes?: TrustedTypesLike;
    __wizKlaviyoPolicy?: ReturnType<TrustedTypesLike['createPolicy']>;
  };
  if (!win.trustedTypes) return src;
  win.__wizKlaviyoPolicy ??= win.trustedTypes.createPolicy(TRUSTED_TYPES_POLICY, {
    createScriptURL(url) {
      if (!/^https?:\/\//i.test(new URL(url, document.baseURI).href)) throw new TypeError('not an http(s) script URL');
      return url;
    },
  });
  return win.__wizKlaviyoPolicy.createScriptURL(src);
}

/**
 * Adds `<script async src nonce>` to the page, built with createElement (no inline script, so a strict CSP with a
 * nonce allows it). `settled` runs in the load or error event itself (true: it ran; false: blocked or offline), and the
 * promise resolves with what it returns. A page whose Trusted Types policy refuses ours counts as blocked. With
 * `integrity`, a file whose bytes do not match is not run (the browser fires error).
 */
export function appendScript<T>(
  doc: Document,
  src: string,
  nonce: string | undefined,
  settled: (loaded: boolean) => T,
  integrity?: string,
): Promise<T> {
  const script = doc.createElement('script');
  script.async = true;
  try {
    script.src = trustedScriptUrl(src) as string;
  } catch {
    return Promise.resolve().then(() => settled(false));
  }
  if (nonce) script.nonce = nonce;
  if (integrity) {
    script.integrity = integrity;
    script.crossOrigin = 'anonymous'; // a file from another origin (a CDN) is checked only when fetched with CORS
  }
  const done = new Promise<T>((resolve) => {
    script.addEventListener('load', () => resolve(settled(true)));
    script.addEventListener('error', () => resolve(settled(false)));
  });
  (doc.head ?? doc.documentElement).appendChild(script);
  return done;
}
