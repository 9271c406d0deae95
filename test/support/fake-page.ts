/**
 * A fresh page for one test: an EventTarget window with a location and a document whose <head> is detached, so
 * happy-dom never tries to load an injected script (it would fail it at once) and the test dispatches the script's
 * load/error events itself. Elements are real happy-dom elements.
 */
export interface FakePage {
  window: Window & typeof globalThis;
  document: Document;
  /** The script elements in the page's head, in order. */
  scripts(): HTMLScriptElement[];
}

export function createFakePage(
  url = 'https://shop.example/products/linen-shirt',
  options: {
    scripts?: string[];
    /** document.cookie, e.g. klaviyo.js's `__kla_id=…`; tests may assign it later. */ cookie?: string;
  } = {},
): FakePage {
  const head = document.createElement('head');
  for (const src of options.scripts ?? []) {
    const script = document.createElement('script');
    // type="text/plain" keeps happy-dom from fetching it; only its src matters here.
    script.type = 'text/plain';
    script.setAttribute('src', src);
    head.appendChild(script);
  }
  const doc = {
    head,
    cookie: options.cookie ?? '',
    documentElement: head,
    createElement: (tag: string) => document.createElement(tag),
    get scripts() {
      return head.getElementsByTagName('script');
    },
  } as unknown as Document;
  const win = Object.assign(new EventTarget(), { document: doc, location: new URL(url) }) as unknown as Window &
    typeof globalThis;
  return {
    window: win,
    document: doc,
    scripts: () => Array.from(head.getElementsByTagName('script')) as HTMLScriptElement[],
  };
}

/**
 * What window.klaviyo queued on window._klOnsite, as arrays, without the answer callback the proxy adds to each
 * method call (see rawOnsiteQueue).
 */
export function onsiteQueue(win: Window): unknown[][] {
  return rawOnsiteQueue(win).map((call) => (typeof call[call.length - 1] === 'function' ? call.slice(0, -1) : call));
}

/** window._klOnsite as it is. */
export function rawOnsiteQueue(win: Window): unknown[][] {
  return (win as unknown as { _klOnsite?: unknown[][] })._klOnsite ?? [];
}
