import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStore, status, track, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

const call = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(([name, rest]) => Promise.resolve((window as any).wizKlaviyo[name as string](...(rest as unknown[]))), [
    method,
    args,
  ] as const);

/** Two tabs of one store, in one browser profile: they share IndexedDB, localStorage and BroadcastChannel. */
async function twoTabs(path: string): Promise<[Page, Page]> {
  const context = await suite.newContext();
  return [
    await openStore(context, `${suite.standIn.url}/${path}`),
    await openStore(context, `${suite.standIn.url}/${path}`),
  ];
}

const received = (productId: string) =>
  suite.standIn.state().events.filter((e) => e.properties.ProductID === productId);

describe('two tabs of one store, in Chromium', () => {
  it('stop collecting and sending in the other tab the moment setConsent(false) resolves in one', async () => {
    const [a, b] = await twoTabs('parts.html');
    await call(a, 'identify', { email: 'ada@example.com' });
    await call(a, 'setConsent', false);
    // Asked right after: no message has to arrive first.
    const refused = await b.evaluate(() =>
      (window as any).wizKlaviyo.track('Viewed Product', { ProductID: 'after' }).then((r: any) => r.error?.code),
    );
    expect(refused).toBe('consent_denied');
    expect((await status(b)).consent).toBe('denied');
    await call(b, 'flush'); // a send pass has run in that tab
    expect(received('after')).toEqual([]);
  });

  it("carry a login and a logout in one tab onto the other tab's next events", async () => {
    const [a, b] = await twoTabs('parts.html');
    await call(a, 'identify', { email: 'ada@example.com' }, { reason: 'login' });
    await expect.poll(async () => (await track(b, 'Viewed Product', { ProductID: 'in' })).ok).toBe(true);
    await expect
      .poll(() => received('in').map((e) => e.profile.email), { timeout: 10_000 })
      .toContain('ada@example.com');

    await call(a, 'reset');
    await expect.poll(async () => (await status(b)).identified).toBe(false); // the message has crossed
    expect((await track(b, 'Viewed Product', { ProductID: 'out' })).ok).toBe(true);
    await expect.poll(() => received('out').length, { timeout: 10_000 }).toBe(1);
    expect(received('out')[0].profile.email).toBeUndefined();
  });

  it("send the other tab's held guest events on the buyer a login in one tab identified", async () => {
    const [a, b] = await twoTabs('guest.html');
    // Whether the tab hears of the login before or after it tracks, the event lands on the buyer.
    await call(a, 'identify', { email: 'ada@example.com' });
    expect((await track(b, 'Viewed Product', { ProductID: 'guest-b' })).ok).toBe(true);
    await expect
      .poll(() => received('guest-b').map((e) => e.profile.email), { timeout: 10_000 })
      .toEqual(['ada@example.com']);
  });
});
