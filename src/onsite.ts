/**
 * Klaviyo's onsite JS (klaviyo.js): the `window.klaviyo` object that queues calls on `window._klOnsite` until the
 * script arrives, and the script itself, injected once per site key however many SDK copies or instances ask.
 * Built with createElement from bundled code (no inline script), so a strict CSP with a nonce allows it.
 */
import { appendScript } from './script-tag.js';

export type OnsiteState = 'off' | 'loading' | 'loaded' | 'blocked';

export interface Onsite {
  state(): OnsiteState;
  /** Resolves when the script has loaded or failed ('off' at once when loading is turned off). */
  settled: Promise<OnsiteState>;
  /** Calls a klaviyo.js method, queued until the script is there. */
  call(method: string, ...args: unknown[]): void;
}

/** `_klOnsite`: an array of calls until klaviyo.js arrives, then klaviyo.js's own object with a push. */
type OnsiteQueue = { push(...calls: unknown[]): unknown };

interface OnsiteWindow {
  klaviyo?: Record<string | symbol, unknown>;
  _klOnsite?: OnsiteQueue;
  __wizKlaviyoOnsite?: Record<string, { state: OnsiteState; settled: Promise<OnsiteState> }>;
}

export interface OnsiteOptions {
  siteKey: string;
  /** Origin serving /onsite/js/KEY/klaviyo.js. */
  host: string;
  nonce?: string;
  win: Window;
  doc: Document;
}

export function loadOnsite(options: OnsiteOptions): Onsite {
  const win = options.win as unknown as OnsiteWindow;
  installKlaviyoObject(win);
  const registry = (win.__wizKlaviyoOnsite ??= {});
  const entry = (registry[options.siteKey] ??= inject(options));
  return { state: () => entry.state, settled: entry.settled, call: (method, ...args) => callOnsite(win, method, args) };
}

/** For instances that must not load klaviyo.js (turned off, or consent pending): calls still queue harmlessly. */
export function offlineOnsite(win: Window | undefined): Onsite {
  if (win) installKlaviyoObject(win as unknown as OnsiteWindow);
  return {
    state: () => 'off',
    settled: Promise.resolve('off'),
    call: (method, ...args) => win && callOnsite(win as unknown as OnsiteWindow, method, args),
  };
}

/**
 * Klaviyo's own installation snippet, as bundled code: `klaviyo.push(...)` forwards to `_klOnsite.push(...)`, and any
 * other `klaviyo.name(...args, callback?)` queues `[name, ...args, answer]` and returns a Promise of klaviyo.js's answer.
 * Without Proxy, Klaviyo's fallback: an array whose push forwards. Never replaces a klaviyo object already there.
 * https://developers.klaviyo.com/en/docs/introduction_to_the_klaviyo_object
 */
export function installKlaviyoObject(win: OnsiteWindow): void {
  if (win.klaviyo) return; // klaviyo.js, or the storefront's own snippet, got there first
  win._klOnsite ??= [];
  const push = (...calls: unknown[]) => void queueOf(win).push(...calls);
  try {
    // Symbols (Symbol.toPrimitive, inspection by dev tools) are no klaviyo.js methods: they must not queue calls.
    const method = (_target: object, name: string | symbol) =>
      name === 'push' ? push : typeof name === 'string' ? promised(win, name) : undefined;
    win.klaviyo = new Proxy({}, { get: method });
  } catch {
    win.klaviyo = Object.assign([] as unknown as Record<string, unknown>, { push });
  }
}

/** klaviyo.js may have replaced the queue since the proxy was made. */
function queueOf(win: OnsiteWindow): OnsiteQueue {
  return (win._klOnsite ??= []);
}

function promised(win: OnsiteWindow, name: string) {
  return (...args: unknown[]): Promise<unknown> => {
    const callback =
      typeof args[args.length - 1] === 'function' ? (args.pop() as (result: unknown) => void) : undefined;
    return new Promise((resolve) => {
      queueOf(win).push([
        name,
        ...args,
        (result: unknown) => {
          try {
            callback?.(result);
          } finally {
            resolve(result); // even when the storefront's callback throws
          }
        },
      ]);
    });
  };
}

/**
 * Our own calls: through the page's klaviyo object (the proxy, Klaviyo's snippet or klaviyo.js itself), or its push
 * where it is the no-Proxy array. Whatever it throws or rejects stays here.
 */
function callOnsite(win: OnsiteWindow, method: string, args: unknown[]): void {
  try {
    const klaviyo = win.klaviyo;
    const target = klaviyo?.[method];
    const push = klaviyo?.push;
    const result =
      typeof target === 'function'
        ? target.apply(klaviyo, args)
        : typeof push === 'function'
          ? push.call(klaviyo, [method, ...args])
          : undefined;
    Promise.resolve(result).catch(() => undefined);
  } catch {
    // klaviyo.js is someone else's code: its failures must not reach the storefront or our queue.
  }
}

function inject({ siteKey, host, nonce, doc }: OnsiteOptions): { state: OnsiteState; settled: Promise<OnsiteState> } {
  const src = `${host}/onsite/js/${encodeURIComponent(siteKey)}/klaviyo.js?company_id=${encodeURIComponent(siteKey)}`;
  const entry = { state: 'loading' as OnsiteState, settled: Promise.resolve<OnsiteState>('loaded') };
  // Both of Klaviyo's snippets count: /onsite/js/KEY/klaviyo.js and the older /onsite/js/klaviyo.js?company_id=KEY.
  const legacy = new RegExp(`/onsite/js/klaviyo\\.js\\?(.*&)?company_id=${siteKey}(&|$)`);
  const present = Array.from(doc.scripts).some(
    (s) => s.src.includes(`/onsite/js/${siteKey}/klaviyo.js`) || legacy.test(s.src),
  );
  if (present) {
    entry.state = 'loaded';
    return entry;
  }
  entry.settled = appendScript(doc, src, nonce, (ok) => (entry.state = ok ? 'loaded' : 'blocked'));
  return entry;
}
