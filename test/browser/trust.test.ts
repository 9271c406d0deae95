import { describe, expect, it } from 'vitest';
import { openStore, receivedProductIds, status, track, useBrowserSuite, receivedMetrics } from './chromium';

const suite = useBrowserSuite();
const newContext = () => suite.newContext();

describe('a storefront with a strict Content-Security-Policy', () => {
  it('runs the SDK, loads klaviyo.js with the nonce and delivers events with zero CSP violations', async () => {
    const ctx = await newContext();
    const hosts = new Set<string>();
    ctx.on('request', (request) => hosts.add(new URL(request.url()).host));
    const page = await openStore(ctx, `${suite.standIn.url}/csp.html`);
    await page.click('[data-wk-add-to-cart]');
    await track(page, 'Viewed Product', { ProductID: 'p1' });
    await expect
      .poll(() => receivedMetrics(suite.standIn), { timeout: 10_000 })
      .toEqual(['Added to Cart', 'Viewed Product']);

    expect((await status(page)).klaviyoJs).toBe('loaded');
    const injected = await page.evaluate(() =>
      Array.from(document.scripts)
        .filter((s) => s.src.includes('/onsite/js/'))
        .map((s) => ({ nonce: s.nonce, async: s.async, inline: s.textContent !== '' })),
    );
    expect(injected).toEqual([{ nonce: 'r4nd0m', async: true, inline: false }]);
    // data-debug fetches the sentences with the same nonce.
    await page.waitForFunction(() => typeof (window as any).__wizKlaviyoDescribe === 'function');
    expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
    // Only the store's own origin (the stand-in plays the shop and, through data-endpoint, Klaviyo's proxy).
    expect([...hosts]).toEqual([new URL(suite.standIn.url).host]);
  });
});

describe('broken storage in Chromium', () => {
  it('keeps tracking in memory when IndexedDB writes fail with QuotaExceededError, and says so', async () => {
    const ctx = await newContext();
    await ctx.addInitScript(() => {
      IDBObjectStore.prototype.put = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    const page = await openStore(ctx, `${suite.standIn.url}/store.html`);
    const result = await track(page, 'Viewed Product', { ProductID: 'p1' });
    expect(result.ok).toBe(true);
    await expect.poll(() => suite.standIn.state().events.length, { timeout: 10_000 }).toBe(1);
    const s = await status(page);
    expect(s.storage).toBe('memory');
    expect(s.lastError?.code).toBe('storage_failed');
  });

  it('uses memory when the browser has no IndexedDB at all (some private modes)', async () => {
    const ctx = await newContext();
    await ctx.addInitScript(() => Object.defineProperty(window, 'indexedDB', { get: () => undefined }));
    const page = await openStore(ctx, `${suite.standIn.url}/store.html`);
    expect((await track(page, 'Searched Site', { SearchTerm: 'linen' })).ok).toBe(true);
    await expect.poll(() => suite.standIn.state().events.length, { timeout: 10_000 }).toBe(1);
    expect((await status(page)).storage).toBe('memory');
  });
});

describe('IndexedDB deleted under a running page', () => {
  it("keeps delivering after the browser clears the site's IndexedDB mid-session", async () => {
    const ctx = await newContext();
    const page = await openStore(ctx, `${suite.standIn.url}/store.html`);
    expect((await track(page, 'Viewed Product', { ProductID: 'before' })).ok).toBe(true);
    await expect.poll(() => suite.standIn.state().events.length, { timeout: 10_000 }).toBe(1);

    // What "Clear site data" does: the databases are deleted and open connections are closed by force.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: suite.standIn.url, storageTypes: 'indexeddb' });

    expect((await track(page, 'Viewed Product', { ProductID: 'after' })).ok).toBe(true);
    await expect.poll(() => receivedProductIds(suite.standIn), { timeout: 15_000 }).toEqual(['after', 'before']);
    // The stand-in records a request before its answer reaches the page: the queue empties a moment later.
    await expect.poll(async () => (await status(page)).queued, { timeout: 10_000 }).toBe(0);
  });
});

describe('a first-party proxy', () => {
  it('sends everything through the shop origin path, never to a Klaviyo host', async () => {
    const ctx = await newContext();
    const paths: string[] = [];
    ctx.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() === 'POST') paths.push(`${url.host}${url.pathname}`);
    });
    const page = await openStore(ctx, `${suite.standIn.url}/proxy.html`);
    expect((await track(page, 'Viewed Product', { ProductID: 'p1' })).ok).toBe(true);
    // With klaviyo.js off, the SDK sends its own Active on Site as well.
    await expect
      .poll(() => receivedMetrics(suite.standIn), { timeout: 10_000 })
      .toEqual(['Active on Site', 'Viewed Product']);
    // Playwright reports a request a moment after the stand-in may have answered it: wait for both.
    await expect
      .poll(() => paths)
      .toEqual([1, 2].map(() => `${new URL(suite.standIn.url).host}/klaviyo/client/events`));

    expect((await status(page)).endpoint).toBe(`${suite.standIn.url}/klaviyo`);
  });
});

describe('ad blockers', () => {
  it('keeps events queued with backoff while Klaviyo is blocked, reports it, and sends them when unblocked', async () => {
    const ctx = await newContext();
    let attempts = 0;
    const block = (route: { abort: (code: string) => Promise<void>; request(): { postData(): string | null } }) => {
      if (route.request().postData()?.includes('"steady"')) attempts++;
      return route.abort('blockedbyclient');
    };
    await ctx.route('**/onsite/js/**', block);
    await ctx.route('**/client/events**', block);
    const page = await openStore(ctx, `${suite.standIn.url}/store.html`);
    await track(page, 'Viewed Product', { ProductID: 'p1' });
    // A second tenant whose jitter draw is fixed at 0.5, so its tries are counted without chance: 0 s, then
    // backoffs of 0.5 s, 1 s, 2 s (base × 2^n × 0.5).
    await page.evaluate(() => {
      (window as any).steady = (window as any).wizKlaviyo.createInstance({
        siteKey: 'AbC123',
        tenant: 'steady-store',
        endpoint: location.origin,
        onsite: false,
        guestEvents: 'send',
        platform: { random: () => 0.5 },
      });
      return (window as any).steady.track('Viewed Product', { ProductID: 'steady' });
    });
    await expect.poll(async () => (await status(page)).klaviyoApi, { timeout: 10_000 }).toBe('blocked');
    await page.waitForTimeout(3000);
    const s = await status(page);
    expect(s.klaviyoJs).toBe('blocked');
    expect(s.queued).toBe(2); // the event and the SDK's own Active on Site, since klaviyo.js is blocked
    // Backoff, not a tight loop: in three seconds the tries at 0, 0.5 and 1.5 s, and perhaps the one at 3.5 s.
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(4);

    await ctx.unroute('**/client/events**', block);
    await page.evaluate(() => (window as any).wizKlaviyo.flush());
    await expect
      .poll(() => receivedMetrics(suite.standIn), { timeout: 10_000 })
      .toEqual(['Active on Site', 'Viewed Product']);
  });
});
