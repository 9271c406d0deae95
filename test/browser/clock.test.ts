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
      await new Promise((resolve) => setTimeout(resolve, 500));
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
    suite.standIn.setFault({ mode: '500', count: 1 });
    await page.evaluate(() => {
      const realNow = Date.now.bind(Date);
      void (window as any).wizKlaviyo.track('Viewed Product', { ProductID: 'after-500' });
      // The retry waits about a second; the page clock then goes back two minutes.
      setTimeout(() => (Date.now = () => realNow() - 120_000), 100);
    });
    await expect
      .poll(() => suite.standIn.state().events.map((e) => e.properties.ProductID), { timeout: 15_000 })
      .toContain('after-500');
  });
});
