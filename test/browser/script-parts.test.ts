import { describe, expect, it } from 'vitest';
import { openStore, receivedMetrics, receivedProductIds, track, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

/** The script tag's features file: held back or refused by the test, as a slow network or an ad blocker would. */
const FEATURES = '**/dist/wiz-klaviyo.features.js';

describe("the script tag's three files, in Chromium", () => {
  it('keeps tracking and delivering when the features file is blocked', async () => {
    const context = await suite.newContext();
    await context.route(FEATURES, (route) => route.abort('blockedbyclient'));
    const page = await openStore(context, `${suite.standIn.url}/parts.html`);
    expect((await track(page, 'Viewed Product', { ProductID: 'p1' })).ok).toBe(true);
    const identified = await page.evaluate(() =>
      (window as any).wizKlaviyo.identify({ email: 'ada@example.com' }).then((r: any) => [r.ok, r.error?.code]),
    );
    expect(identified).toEqual([false, 'feature_unavailable']);
    expect((await track(page, 'Viewed Product', { ProductID: 'p2' })).ok).toBe(true);
    await expect.poll(() => receivedProductIds(suite.standIn), { timeout: 10_000 }).toEqual(['p1', 'p2']);
  });

  it('makes on the next page the calls still waiting for the features file when the shopper left', async () => {
    const context = await suite.newContext();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await context.route(FEATURES, async (route) => {
      await held;
      await route.continue().catch(() => undefined); // the first page is gone by then
    });
    // Not openStore: a page whose features file is held back never fires its load event.
    const first = await context.newPage();
    await first.goto(`${suite.standIn.url}/parts.html`, { waitUntil: 'commit' });
    await first.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);
    await first.evaluate(() => {
      const sdk = (window as any).wizKlaviyo;
      void sdk.identify({ email: 'ada@example.com' }, { reason: 'login' });
      void sdk.track('Added to Cart', { ItemNames: ['Linen Shirt'] });
    });
    await first.goto('about:blank'); // the shopper leaves before the features file arrives
    release();
    await context.unroute(FEATURES);

    await openStore(context, `${suite.standIn.url}/parts.html`);
    // The next page's own Active on Site (klaviyo.js is off here) may land too; the two calls are the first page's.
    const made = () => receivedMetrics(suite.standIn).filter((metric) => metric !== 'Active on Site');
    await expect.poll(made, { timeout: 10_000 }).toEqual(['Added to Cart', 'Logged In']);
    const left = suite.standIn.state().events.filter((e) => e.metric !== 'Active on Site');
    expect(left.map((e) => e.profile.email)).toEqual(['ada@example.com', 'ada@example.com']);
  });
});
