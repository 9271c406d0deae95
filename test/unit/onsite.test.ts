import { describe, expect, it, vi } from 'vitest';
import { loadOnsite, offlineOnsite } from '../../src/onsite';
import { createFakePage, onsiteQueue, rawOnsiteQueue } from '../support/fake-page';
import { createLocks } from '../support/harness';
import { useKlaviyo } from '../support/suite';
import { createManualClock } from '../support/manual-clock';

const { klaviyo, make } = useKlaviyo();

const SRC = 'https://static.klaviyo.com/onsite/js/AbC123/klaviyo.js';
const load = (
  page: ReturnType<typeof createFakePage>,
  extra: { siteKey?: string; nonce?: string; host?: string } = {},
) =>
  loadOnsite({ siteKey: 'AbC123', host: 'https://static.klaviyo.com', win: page.window, doc: page.document, ...extra });
const klaviyoScripts = (page: ReturnType<typeof createFakePage>) =>
  page.scripts().filter((s) => s.src.includes('/klaviyo.js'));

describe('the window.klaviyo proxy', () => {
  it('queues calls on window._klOnsite as arrays until klaviyo.js arrives', () => {
    const page = createFakePage();
    const onsite = load(page);
    const win = page.window as unknown as { klaviyo: Record<string, (...a: unknown[]) => void> };
    win.klaviyo.identify({ email: 'ada@example.com' });
    onsite.call('trackViewedItem', { Title: 'Linen Shirt' });
    win.klaviyo.push(['openForm', 'ABCDEF']);
    expect(onsiteQueue(page.window)).toEqual([
      ['identify', { email: 'ada@example.com' }],
      ['trackViewedItem', { Title: 'Linen Shirt' }],
      ['openForm', 'ABCDEF'],
    ]);
  });

  it("returns a Promise of klaviyo.js's answer from any method, as Klaviyo's snippet does", async () => {
    const page = createFakePage();
    load(page);
    const klaviyo = (page.window as unknown as { klaviyo: Record<string, (...a: unknown[]) => Promise<unknown>> })
      .klaviyo;
    const identified = klaviyo.isIdentified();
    const account = klaviyo.account();
    expect(rawOnsiteQueue(page.window).map((call) => [call[0], typeof call[call.length - 1]])).toEqual([
      ['isIdentified', 'function'],
      ['account', 'function'],
    ]);
    answerAll(page.window, (name) => (name === 'isIdentified' ? true : 'AbC123'));
    await expect(identified).resolves.toBe(true);
    await expect(account).resolves.toBe('AbC123');
  });

  it('takes a trailing function as the callback, called with the answer before the Promise resolves', async () => {
    const page = createFakePage();
    load(page);
    const klaviyo = (page.window as unknown as { klaviyo: Record<string, (...a: unknown[]) => Promise<unknown>> })
      .klaviyo;
    const seen: unknown[] = [];
    const done = klaviyo.identify({ email: 'ada@example.com' }, (answer: unknown) => seen.push(answer));
    expect(onsiteQueue(page.window)).toEqual([['identify', { email: 'ada@example.com' }]]);
    answerAll(page.window, () => ({ $email: 'ada@example.com' }));
    expect(seen).toEqual([{ $email: 'ada@example.com' }]);
    await expect(done).resolves.toEqual({ $email: 'ada@example.com' });
  });

  it("resolves even when the storefront's callback throws", async () => {
    const page = createFakePage();
    load(page);
    const klaviyo = (page.window as unknown as { klaviyo: Record<string, (...a: unknown[]) => Promise<unknown>> })
      .klaviyo;
    const done = klaviyo.isIdentified(() => {
      throw new Error('theme bug');
    });
    expect(() => answerAll(page.window, () => false)).toThrow('theme bug'); // klaviyo.js's problem, as with Klaviyo's snippet
    await expect(done).resolves.toBe(false);
  });

  it('forwards every argument of push to _klOnsite.push', () => {
    const page = createFakePage();
    load(page);
    const klaviyo = (page.window as unknown as { klaviyo: { push(...calls: unknown[]): void } }).klaviyo;
    klaviyo.push(['track', 'A', {}], ['track', 'B', {}]);
    expect(rawOnsiteQueue(page.window)).toEqual([
      ['track', 'A', {}],
      ['track', 'B', {}],
    ]);
  });

  it("falls back to Klaviyo's array with a forwarding push where Proxy is missing, and our calls still queue", () => {
    const page = createFakePage();
    vi.stubGlobal('Proxy', undefined); // happy-dom needs it, so only around the proxy's install
    try {
      const onsite = offlineOnsite(page.window);
      const klaviyo = (page.window as unknown as { klaviyo: unknown[] & { push(...calls: unknown[]): void } }).klaviyo;
      expect(Array.isArray(klaviyo)).toBe(true);
      klaviyo.push(['openForm', 'ABCDEF']);
      onsite.call('identify', { email: 'ada@example.com' });
      expect(rawOnsiteQueue(page.window)).toEqual([
        ['openForm', 'ABCDEF'],
        ['identify', { email: 'ada@example.com' }],
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('lets no failure of klaviyo.js reach the page as a throw or an unhandled rejection', async () => {
    const page = createFakePage();
    const onsite = load(page);
    const rejections: unknown[] = [];
    const listener = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', listener);
    try {
      Object.assign(page.window, {
        _klOnsite: {
          push: () => {
            throw new Error('klaviyo.js broke');
          },
        },
      });
      expect(() => onsite.call('identify', { email: 'ada@example.com' })).not.toThrow();
      Object.assign(page.window, { klaviyo: { identify: () => Promise.reject(new Error('klaviyo.js said no')) } });
      expect(() => onsite.call('identify', { email: 'ada@example.com' })).not.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('keeps a klaviyo object the page already has and calls it', () => {
    const page = createFakePage();
    const calls: unknown[][] = [];
    const own = { identify: (...args: unknown[]) => calls.push(['identify', ...args]) };
    Object.assign(page.window, { klaviyo: own });
    const onsite = load(page);
    onsite.call('identify', { email: 'ada@example.com' });
    expect((page.window as unknown as { klaviyo: unknown }).klaviyo).toBe(own);
    expect(calls).toEqual([['identify', { email: 'ada@example.com' }]]);
  });

  it('keeps what was already queued on _klOnsite', () => {
    const page = createFakePage();
    Object.assign(page.window, { _klOnsite: [['openForm', 'X']] });
    load(page).call('identify', { email: 'ada@example.com' });
    expect(onsiteQueue(page.window)).toEqual([
      ['openForm', 'X'],
      ['identify', { email: 'ada@example.com' }],
    ]);
  });

  it('swallows a klaviyo.js method that throws', () => {
    const page = createFakePage();
    Object.assign(page.window, {
      klaviyo: {
        identify: () => {
          throw new Error('boom');
        },
      },
    });
    expect(() => load(page).call('identify', {})).not.toThrow();
  });

  it('still queues calls when klaviyo.js is turned off', () => {
    const page = createFakePage();
    const onsite = offlineOnsite(page.window);
    onsite.call('identify', { email: 'ada@example.com' });
    expect(onsite.state()).toBe('off');
    expect(onsiteQueue(page.window)).toEqual([['identify', { email: 'ada@example.com' }]]);
    expect(page.scripts()).toEqual([]);
  });
});

/** Plays klaviyo.js: answers every queued call through its trailing callback. */
function answerAll(win: Window, answer: (name: unknown) => unknown): void {
  for (const call of rawOnsiteQueue(win)) {
    const callback = call[call.length - 1];
    if (typeof callback === 'function') callback(answer(call[0]));
  }
}

describe('injecting klaviyo.js', () => {
  it('adds one async script tag for the site key, carrying the nonce', () => {
    const page = createFakePage();
    load(page, { nonce: 'r4nd0m' });
    const [script] = klaviyoScripts(page);
    expect(klaviyoScripts(page)).toHaveLength(1);
    expect(script.src.startsWith(SRC)).toBe(true);
    expect(script.async).toBe(true);
    expect(script.nonce).toBe('r4nd0m');
  });

  it('loads from the configured host', () => {
    const page = createFakePage();
    load(page, { host: 'https://cdn.shop.example' });
    expect(klaviyoScripts(page)[0].src.startsWith('https://cdn.shop.example/onsite/js/AbC123/klaviyo.js')).toBe(true);
  });

  it('injects once per key however often it is asked, and again for another key', () => {
    const page = createFakePage();
    load(page);
    load(page);
    load(page, { siteKey: 'XyZ789' });
    expect(klaviyoScripts(page).map((s) => new URL(s.src).pathname)).toEqual([
      '/onsite/js/AbC123/klaviyo.js',
      '/onsite/js/XyZ789/klaviyo.js',
    ]);
  });

  it('does not inject when the page already has the script for that key', () => {
    const page = createFakePage(undefined, { scripts: [SRC] });
    const onsite = load(page);
    expect(klaviyoScripts(page)).toHaveLength(1);
    expect(onsite.state()).toBe('loaded');
  });

  it("does not inject when the page has Klaviyo's older company_id snippet for that key", () => {
    const page = createFakePage(undefined, {
      scripts: ['https://static.klaviyo.com/onsite/js/klaviyo.js?company_id=AbC123'],
    });
    load(page);
    expect(klaviyoScripts(page)).toHaveLength(1);
  });

  it('still injects when the script on the page is for another key', () => {
    const page = createFakePage(undefined, { scripts: ['https://static.klaviyo.com/onsite/js/OtH3r1/klaviyo.js'] });
    load(page);
    expect(klaviyoScripts(page)).toHaveLength(2);
  });

  it("reports 'loading' until the script loads, then 'loaded'", async () => {
    const page = createFakePage();
    const onsite = load(page);
    expect(onsite.state()).toBe('loading');
    klaviyoScripts(page)[0].dispatchEvent(new Event('load'));
    expect(onsite.state()).toBe('loaded');
    await expect(onsite.settled).resolves.toBe('loaded');
  });

  it("reports 'blocked' when the script fails to load", async () => {
    const page = createFakePage();
    const onsite = load(page);
    klaviyoScripts(page)[0].dispatchEvent(new Event('error'));
    expect(onsite.state()).toBe('blocked');
    await expect(onsite.settled).resolves.toBe('blocked');
  });

  it('shares the state between two loaders of the same key', () => {
    const page = createFakePage();
    const first = load(page);
    const second = load(page);
    klaviyoScripts(page)[0].dispatchEvent(new Event('error'));
    expect([first.state(), second.state()]).toEqual(['blocked', 'blocked']);
  });
});

describe('klaviyo.js from SDK instances', () => {
  it('is injected once for two instances of the same key on one page, with the nonce option', async () => {
    const page = createFakePage();
    const world = { clock: createManualClock(), locks: createLocks() };
    const first = make({ tenant: 'acme-eu', nonce: 'n0nce', platform: { window: page.window } }, world);
    const second = make({ tenant: 'acme-us', platform: { window: page.window } }, world);
    await Promise.all([first.client.status(), second.client.status()]); // both have started
    await vi.waitFor(() => expect(klaviyoScripts(page)).toHaveLength(1));
    expect(klaviyoScripts(page)).toHaveLength(1);
    expect(klaviyoScripts(page)[0].nonce).toBe('n0nce');
  });

  it('is not injected when the onsite option is false', async () => {
    const page = createFakePage();
    const { client } = make({ onsite: false, platform: { window: page.window } });
    expect(page.scripts()).toEqual([]);
    expect((await client.status()).klaviyoJs).toBe('off');
    expect(typeof (page.window as unknown as { klaviyo?: { identify?: unknown } }).klaviyo?.identify).toBe('function');
  });

  it("reports the script's state in status().klaviyoJs", async () => {
    const page = createFakePage();
    const { client } = make({ platform: { window: page.window } });
    expect((await client.status()).klaviyoJs).toBe('loading');
    klaviyoScripts(page)[0].dispatchEvent(new Event('load'));
    expect((await client.status()).klaviyoJs).toBe('loaded');
  });

  it('identify() and viewedProduct() reach klaviyo.js through the proxy', async () => {
    const page = createFakePage();
    const { client } = make({ platform: { window: page.window } });
    await client.identify({ email: 'ada@example.com', firstName: 'Ada' });
    await client.viewedProduct({ id: 'p-1', name: 'Linen Shirt', price: 49 });
    expect(onsiteQueue(page.window)).toEqual([
      ['identify', { email: 'ada@example.com', first_name: 'Ada' }],
      ['trackViewedItem', { Title: 'Linen Shirt', ItemId: 'p-1', Metadata: { Price: 49 } }],
    ]);
    await vi.waitFor(() => expect(klaviyo.received).toHaveLength(2));
  });

  it('does not call trackViewedItem for a product it refused', async () => {
    const page = createFakePage();
    const { client } = make({ platform: { window: page.window } });
    await client.viewedProduct({ name: 'No Id' } as never);
    expect(onsiteQueue(page.window)).toEqual([]);
  });
});
