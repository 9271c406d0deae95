import { describe, expect, it } from 'vitest';
import { openStore, status, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

describe('a guest who logs in, in Chromium', () => {
  it('lands every guest event exactly once on the buyer profile, in the order they happened', async () => {
    const context = await suite.newContext();
    const page = await openStore(context, `${suite.standIn.url}/guest.html?from=email`);
    const line = { id: 'p1', name: 'Linen Shirt', price: 49, quantity: 2 };
    const cart = { id: 'cart-7', lines: [line], currency: 'EUR', checkoutUrl: `${suite.standIn.url}/checkout` };
    await page.evaluate(
      async ([l, c]) => {
        const sdk = (window as any).wizKlaviyo;
        await sdk.addedToCart(l, c);
        await sdk.startedCheckout(c);
      },
      [line, cart] as const,
    );

    // A guest's events wait in the browser until the buyer is known.
    expect((await status(page)).held).toBe(3);
    expect(suite.standIn.state().events).toHaveLength(0);

    await page.reload(); // the hold survives a reload
    await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);
    const identified = await page.evaluate(() =>
      (window as any).wizKlaviyo.identify({ email: 'Ada@Example.com', firstName: 'Ada' }, { reason: 'login' }),
    );
    expect(identified.ok).toBe(true);

    // The stub on the reloaded page queued one more Viewed Product: 3 held + that one + Logged In.
    await expect.poll(() => suite.standIn.state().events.length, { timeout: 20_000 }).toBe(5);
    const events = suite.standIn.state().events;
    expect(new Set(events.map((e) => e.profile.email))).toEqual(new Set(['ada@example.com']));
    expect(suite.standIn.state().duplicates).toBe(0);
    const metrics = [...events].sort((a, b) => Date.parse(a.time!) - Date.parse(b.time!)).map((e) => e.metric);
    expect(metrics.slice(0, 3)).toEqual(['Viewed Product', 'Added to Cart', 'Started Checkout']);
    expect(metrics).toContain('Logged In');
    const profiles = suite.standIn.state().requests.filter((r) => r.path.startsWith('/client/profiles'));
    expect(profiles.map((r) => r.status)).toEqual([202]);
    expect((await status(page)).klaviyoJs).toBe('loaded');
    expect(
      await page.evaluate(() => (window as any).__fakeKlaviyoJs?.calls.some((c: unknown[]) => c[0] === 'identify')),
    ).toBe(true);
  });
});
