import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
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

/** Requests that carried the event, answered or not (the stand-in keeps one event per unique_id). */
const requestsFor = (productId: string) =>
  suite.standIn.state().requests.filter((r: any) => r.body?.data?.attributes?.properties?.ProductID === productId)
    .length;

/** Tracks an event in `page`, leaves it, and expects the one request that carries it: the keepalive send on pagehide. */
async function expectSentOnTheWayOut(page: Page, productId: string): Promise<void> {
  expect((await track(page, 'Viewed Product', { ProductID: productId })).ok).toBe(true);
  await page.goto(`${suite.standIn.url}/blank.html`);
  await expect.poll(() => requestsFor(productId), { timeout: 10_000 }).toBe(1);
}

/**
 * Holds parts-store's sender lock from a page of the shop's origin that has no SDK (so it is no tab of the store):
 * what a store tab queues then stays unsent until the returned function releases it.
 */
async function holdSenderLock(context: BrowserContext): Promise<() => Promise<void>> {
  const holder = await context.newPage();
  await holder.goto(`${suite.standIn.url}/blank.html`);
  await holder.evaluate(
    (name) =>
      new Promise<void>((locked) => {
        void navigator.locks.request(name, () => {
          locked();
          return new Promise<void>((release) => ((window as any).releaseLock = release));
        });
      }),
    'wiz-klaviyo:parts-store:sender',
  );
  return () => holder.evaluate(() => (window as any).releaseLock());
}

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

  it("fire a page's unsent events on the way out when no other tab of the store is open", async () => {
    const context = await suite.newContext();
    const release = await holdSenderLock(context);
    const a = await openStore(context, `${suite.standIn.url}/parts.html`);
    await expectSentOnTheWayOut(a, 'alone');
    await release();
  });

  it('count a second instance of the store in the same page as no other tab, so the page still sends on the way out', async () => {
    const context = await suite.newContext();
    const release = await holdSenderLock(context);
    const a = await openStore(context, `${suite.standIn.url}/parts.html`);
    await a.evaluate(() => {
      // A channel of the test's own, made after the script tag's instance's: it hears the second instance's "here"
      // after that instance has.
      const channel = new BroadcastChannel('wiz-klaviyo:parts-store');
      const heard = new Promise<void>((done) => {
        channel.onmessage = ({ data }) => data?.kind === 'here' && !data.answer && done();
      });
      // The store's second instance in this page (as an ES module build beside the script tag would make).
      (window as any).wizKlaviyo.createInstance({
        siteKey: 'AbC123',
        tenant: 'parts-store',
        endpoint: '/',
        onsite: false,
        guestEvents: 'send',
      });
      return heard;
    });
    await expectSentOnTheWayOut(a, 'one-page');
    await release();
  });

  it('stop counting a tab that crashed once it does not answer, so a page being left still sends its events', async () => {
    const context = await suite.newContext();
    const b = await openStore(context, `${suite.standIn.url}/parts.html`);
    const a = await openStore(context, `${suite.standIn.url}/parts.html`);
    await call(a, 'flush');
    await call(b, 'flush');
    // b crashes: no pagehide, no "gone"; a still counts it as open.
    const crashed = new Promise((done) => b.once('crash', done));
    void (await context.newCDPSession(b)).send('Page.crash').catch(() => undefined);
    await crashed;
    const release = await holdSenderLock(context);
    // a's track() asks b whether it is still there; b cannot answer, and after a second a stops counting it.
    expect((await track(a, 'Viewed Product', { ProductID: 'after-crash' })).ok).toBe(true);
    // A timer of the page's own, set after the SDK's one-second wait for answers: it fires after that one has, however
    // slow the machine (timers of one page with the same delay fire in the order they were set).
    await a.evaluate(() => new Promise((done) => setTimeout(done, 1000)));
    await a.goto(`${suite.standIn.url}/blank.html`);
    await expect.poll(() => requestsFor('after-crash'), { timeout: 10_000 }).toBe(1); // the keepalive send on pagehide
    await release();
  });

  it("leave a page's unsent events to the open tab of the store, which sends each once and hears the answer", async () => {
    const context = await suite.newContext();
    const a = await openStore(context, `${suite.standIn.url}/parts.html`);
    // A channel of the test's own, made after the SDK's: it hears b's "here" after the SDK's channel has.
    await a.evaluate(() => {
      const channel = new BroadcastChannel('wiz-klaviyo:parts-store');
      (window as any).heardB = new Promise<void>((heard) => {
        channel.onmessage = ({ data }) => data?.kind === 'here' && !data.answer && heard();
      });
    });
    const b = await openStore(context, `${suite.standIn.url}/parts.html`);
    await a.evaluate(() => (window as any).heardB);
    // Both tabs have sent what they had, so neither waits for the lock with a pass of its own.
    await call(a, 'flush');
    await call(b, 'flush');
    const release = await holdSenderLock(context);
    expect((await track(a, 'Viewed Product', { ProductID: 'shared' })).ok).toBe(true);
    await a.goto(`${suite.standIn.url}/blank.html`);
    expect(requestsFor('shared')).toBe(0);
    await release();
    // b hears that a was left and sends what a queued, with no call of its own.
    await expect.poll(() => received('shared').length, { timeout: 10_000 }).toBe(1);
    await call(b, 'flush');
    expect((await status(b)).queued).toBe(0);
    expect(requestsFor('shared')).toBe(1);
  });

  it('count a frozen tab as gone until it resumes, so a page being left sends what no open tab would', async () => {
    const context = await suite.newContext();
    const a = await openStore(context, `${suite.standIn.url}/parts.html`);
    // The test's own channel in a, made after the SDK's: it hears b's messages after the SDK's channel has.
    await a.evaluate(() => {
      const channel = new BroadcastChannel('wiz-klaviyo:parts-store');
      const heard = (kind: string) =>
        new Promise<void>((done) => channel.addEventListener('message', ({ data }) => data?.kind === kind && done()));
      Object.assign(window, { heardHere: heard('here'), heardGone: heard('gone') });
    });
    const b = await openStore(context, `${suite.standIn.url}/parts.html`);
    await a.evaluate(() => (window as any).heardHere);
    await call(a, 'flush');
    await call(b, 'flush');
    // Chromium freezes a background tab (Page Lifecycle API); the event is what the SDK hears of it.
    await b.evaluate(() => document.dispatchEvent(new Event('freeze')));
    await a.evaluate(() => (window as any).heardGone);
    const release = await holdSenderLock(context);
    expect((await track(a, 'Viewed Product', { ProductID: 'frozen-b' })).ok).toBe(true);
    await a.goto(`${suite.standIn.url}/blank.html`);
    await expect.poll(() => requestsFor('frozen-b'), { timeout: 10_000 }).toBe(1); // a's keepalive send on pagehide
    await release();
  });
});
