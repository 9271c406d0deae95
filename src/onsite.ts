/**
 * Klaviyo's onsite JS (klaviyo.js): the `window.klaviyo` object that queues calls on `window._klOnsite` until the
 * script arrives, and the script itself, injected once per site key however many SDK copies or instances ask.
 * Built with createElement from bundled code (no inline script), so a strict CSP with a nonce allows it.
 */
export type OnsiteState = 'off' | 'loading' | 'loaded' | 'blocked';

export interface Onsite {
  state(): OnsiteState;
  /** Resolves when the script has loaded or failed ('off' at once when loading is turned off). */
  settled: Promise<OnsiteState>;
  /** Calls a klaviyo.js method, queued until the script is there. */
  call(method: string, ...args: unknown[]): void;
}

interface OnsiteWindow {
  klaviyo?: Record<string, unknown> & { push?: (args: unknown[]) => unknown };
  _klOnsite?: Array<unknown[]> | { push(args: unknown[]): unknown };
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

const PROXIED = ['identify', 'track', 'trackViewedItem', 'account', 'isIdentified', 'openForm', 'push'];

export function loadOnsite(options: OnsiteOptions): Onsite {
  const win = options.win as unknown as OnsiteWindow;
  installProxy(win);
  const registry = (win.__wizKlaviyoOnsite ??= {});
  const entry = (registry[options.siteKey] ??= inject(options));
  return { state: () => entry.state, settled: entry.settled, call: (method, ...args) => callOnsite(win, method, args) };
}

/** For instances that must not load klaviyo.js (turned off, or consent pending): calls still queue harmlessly. */
export function offlineOnsite(win: Window | undefined): Onsite {
  if (win) installProxy(win as unknown as OnsiteWindow);
  return {
    state: () => 'off',
    settled: Promise.resolve('off'),
    call: (method, ...args) => win && callOnsite(win as unknown as OnsiteWindow, method, args),
  };
}

function installProxy(win: OnsiteWindow): void {
  win._klOnsite ??= [];
  if (win.klaviyo) return; // klaviyo.js, or the storefront's own snippet, got there first
  const proxy: Record<string, unknown> = {};
  for (const method of PROXIED) {
    proxy[method] = (...args: unknown[]) => {
      const queue = win._klOnsite ?? (win._klOnsite = []);
      queue.push(method === 'push' ? (args[0] as unknown[]) : [method, ...args]);
    };
  }
  win.klaviyo = proxy;
}

function callOnsite(win: OnsiteWindow, method: string, args: unknown[]): void {
  try {
    const target = win.klaviyo?.[method];
    if (typeof target === 'function') target.apply(win.klaviyo, args);
  } catch {
    // klaviyo.js is someone else's code: its failures must not reach the storefront or our queue.
  }
}

function inject({ siteKey, host, nonce, doc }: OnsiteOptions): { state: OnsiteState; settled: Promise<OnsiteState> } {
  const src = `${host}/onsite/js/${encodeURIComponent(siteKey)}/klaviyo.js?company_id=${encodeURIComponent(siteKey)}`;
  const entry = { state: 'loading' as OnsiteState, settled: Promise.resolve<OnsiteState>('loaded') };
  // Both of Klaviyo's snippets count: /onsite/js/KEY/klaviyo.js and the older /onsite/js/klaviyo.js?company_id=KEY.
  const legacy = new RegExp(`/onsite/js/klaviyo\\.js\\?(.*&)?company_id=${siteKey}(&|$)`);
  const present = Array.from(doc.scripts).some((s) => s.src.includes(`/onsite/js/${siteKey}/klaviyo.js`) || legacy.test(s.src));
  if (present) {
    entry.state = 'loaded';
    return entry;
  }
  const script = doc.createElement('script');
  script.async = true;
  script.src = src;
  if (nonce) script.nonce = nonce;
  entry.settled = new Promise((resolve) => {
    script.addEventListener('load', () => resolve((entry.state = 'loaded')));
    script.addEventListener('error', () => resolve((entry.state = 'blocked')));
  });
  (doc.head ?? doc.documentElement).appendChild(script);
  return entry;
}
