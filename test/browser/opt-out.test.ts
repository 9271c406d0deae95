import { describe, expect, it } from 'vitest';
import { openStore, status, track, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

describe("Klaviyo's __kla_off cookie, in Chromium", () => {
  it('keeps klaviyo.js off and sends nothing while a consent tool has set it, and resumes when it is cleared', async () => {
    const context = await suite.newContext();
    const onsiteRequests: string[] = [];
    context.on('request', (request) => {
      if (request.url().includes('klaviyo.js')) onsiteRequests.push(request.url());
    });
    await context.addCookies([{ name: '__kla_off', value: 'true', url: suite.standIn.url }]);
    const page = await openStore(context, `${suite.standIn.url}/store.html`);

    const refused = await page.evaluate(() =>
      (window as any).wizKlaviyo.track('Viewed Product', { ProductID: 'p1' }).then((r: any) => [r.ok, r.error?.code]),
    );
    expect(refused).toEqual([false, 'consent_denied']);
    expect(await status(page)).toMatchObject({ klaviyoOptOut: true, klaviyoJs: 'off', queued: 0 });
    expect(onsiteRequests).toEqual([]);
    expect(suite.standIn.state().requests).toEqual([]);

    // The consent tool switches Klaviyo back on: tracking works at once, in the same page.
    await page.evaluate(() => (document.cookie = '__kla_off=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'));
    expect((await track(page, 'Viewed Product', { ProductID: 'p2' })).ok).toBe(true);
    await expect
      .poll(() => suite.standIn.state().events.map((e) => e.properties.ProductID), { timeout: 10_000 })
      .toContain('p2');
    expect((await status(page)).klaviyoOptOut).toBe(false);
  });
});
