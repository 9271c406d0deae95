/**
 * Adds `<script async src nonce>` to the page, built with createElement (no inline script, so a strict CSP with a
 * nonce allows it). `settled` runs in the load or error event itself (true: it ran; false: blocked or offline), and the
 * promise resolves with what it returns.
 */
export function appendScript<T>(
  doc: Document,
  src: string,
  nonce: string | undefined,
  settled: (loaded: boolean) => T,
): Promise<T> {
  const script = doc.createElement('script');
  script.async = true;
  script.src = src;
  if (nonce) script.nonce = nonce;
  const done = new Promise<T>((resolve) => {
    script.addEventListener('load', () => resolve(settled(true)));
    script.addEventListener('error', () => resolve(settled(false)));
  });
  (doc.head ?? doc.documentElement).appendChild(script);
  return done;
}
