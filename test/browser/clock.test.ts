import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStore, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

/** A second tenant on the page with a small burst, so the rate limiter has to refill for the rest to go out. */
function trackMany(page: Page, count: number, clockChange: string): Promise<boolean[]> {
  return page.evaluate(
    async ([n, change]) => {
      const sdk = (window as any).wizKlaviyo.createInstance({
        siteKey: 'AbC123',
        tenant: 'clock-store',
        endpoint: location.origin,
        onsite: false,
        guestEvents: 'send',
        delivery: { burst: 5, ratePerSecond: 20 },
      });
      const results = [];
      const trackFrom = (from: number, to: number) => {
        for (let i = from; i < to; i++) results.push(sdk.track('Viewed Product', { ProductID: `p${i}` }));
      };
      // A first few go out while the clock is right, so the sender has started its timing.
      trackFrom(0, 5);
      await Promise.all(results);
      await sdk.flush(); // they have gone out: the sender has started its timing
      const realNow = Date.now.bind(Date);
      const start = realNow();
      // What a page (or its test harness) may do to Date.now() while the SDK runs.
      Date.now = change === 'frozen' ? () => start : () => realNow() - 120_000;
      trackFrom(5, n);
      return (await Promise.all(results)).map((r: any) => r.ok);
    },
    [count, clockChange] as const,
  );
}

describe('a page clock that does not move forward, in Chromium', () => {
  it.each(['frozen', 'moved back two minutes'])(
    'keeps sending at the rate limit with Date.now() %s',
    async (change) => {
      const context = await suite.newContext();
      const page = await openStore(context, `${suite.standIn.url}/parts.html`);
      expect(await trackMany(page, 30, change === 'frozen' ? 'frozen' : 'back')).toEqual(Array(30).fill(true));
      await expect
        .poll(() => suite.standIn.state().events.filter((e) => e.metric === 'Viewed Product').length, {
          timeout: 15_000,
        })
        .toBe(30);
    },
  );

  it('retries after its backoff, not after the two minutes the clock was moved back', async () => {
    const context = await suite.newContext();
    const page = await openStore(context, `${suite.standIn.url}/parts.html`);
    // The page's own Active on Site (klaviyo.js is off there) goes first, so the one 500 is this event's.
    await expect.poll(() => suite.standIn.state().events.map((e) => e.metric)).toContain('Active on Site');
    suite.standIn.setFault({ mode: '500', count: 1 });
    await page.evaluate(() => {
      // A fixed jitter draw and a 4 s first step: the retry is due 2 s after the 500, time enough to move the clock.
      const sdk = (window as any).wizKlaviyo.createInstance({
        siteKey: 'AbC123',
        tenant: 'rewound-store',
        endpoint: location.origin,
        onsite: false,
        guestEvents: 'send',
        delivery: { backoffBaseMs: 4000 },
        platform: { random: () => 0.5 },
      });
      return sdk.track('Viewed Product', { ProductID: 'after-500' });
    });
    // Answered 500. Before the retry goes, the page clock is moved back two minutes.
    await expect.poll(() => suite.standIn.state().requests.map((r) => r.status)).toContain(500);
    expect(suite.standIn.state().events.map((e) => e.properties.ProductID)).not.toContain('after-500');
    await page.evaluate(() => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() - 120_000;
    });
    await expect
      .poll(() => suite.standIn.state().events.map((e) => e.properties.ProductID), { timeout: 15_000 })
      .toContain('after-500');
  });
});
