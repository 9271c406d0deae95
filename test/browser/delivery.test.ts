import { describe, expect, it } from 'vitest';
import { openStore, status, track, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();
const newContext = () => suite.newContext();

/** Every request the stand-in answered 202, by unique_id. */
function acceptedIds(): string[] {
  return suite.standIn
    .state()
    .requests.filter((r) => r.status === 202)
    .map((r: any) => r.body.data.attributes.unique_id);
}

describe('durable delivery in Chromium', () => {
  it('keeps events through a reload while Klaviyo is unreachable and delivers each exactly once when it returns', async () => {
    const context = await newContext();
    // Dropped connections at the server, not request routing: keepalive sends made while the page unloads
    // bypass Playwright's routing, and they must be unable to get through too.
    suite.standIn.setFault({ mode: 'drop' });
    const page = await openStore(context, `${suite.standIn.url}/store.html`);

    const before = [];
    for (let i = 0; i < 5; i++) before.push(await track(page, 'Viewed Product', { ProductID: `p${i}` }));
    await page.reload();
    await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);
    const after = [
      await track(page, 'Added to Cart', { ProductID: 'p9' }),
      await track(page, 'Searched Site', { SearchTerm: 'linen' }),
    ];
    const tracked = [...before, ...after].map((result: any) => result.uniqueId);

    expect(tracked.every(Boolean)).toBe(true);
    expect((await status(page)).queued).toBe(7);
    expect(suite.standIn.state().events).toHaveLength(0);

    suite.standIn.setFault({ mode: 'ok' });
    await page.evaluate(() => (window as any).wizKlaviyo.flush());
    await expect.poll(() => suite.standIn.state().events.length, { timeout: 20_000 }).toBe(7);
    await expect.poll(async () => (await status(page)).queued).toBe(0);

    expect(
      suite.standIn
        .state()
        .events.map((e) => e.uniqueId)
        .sort(),
    ).toEqual([...tracked].sort());
    expect(acceptedIds().sort()).toEqual([...tracked].sort());
    expect(suite.standIn.state().duplicates).toBe(0);
  });

  it('sends each event once when two tabs of one store track at the same time', async () => {
    const context = await newContext();
    const [tabA, tabB] = [
      await openStore(context, `${suite.standIn.url}/store.html`),
      await openStore(context, `${suite.standIn.url}/store.html`),
    ];

    const burst = (tab: typeof tabA, label: string) =>
      tab.evaluate(
        (l) =>
          Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              (window as any).wizKlaviyo.track('Viewed Product', { ProductID: `${l}${i}` }),
            ),
          ),
        label,
      );
    const results = [...(await Promise.all([burst(tabA, 'a'), burst(tabB, 'b')])).flat()] as Array<{
      ok: boolean;
      uniqueId: string;
    }>;
    expect(results.every((r) => r.ok)).toBe(true);

    await expect.poll(() => suite.standIn.state().events.length, { timeout: 30_000 }).toBe(40);
    await expect.poll(async () => (await status(tabA)).queued).toBe(0);
    const accepted = acceptedIds();
    expect(accepted).toHaveLength(40);
    expect(new Set(accepted).size).toBe(40);
    expect(suite.standIn.state().duplicates).toBe(0);
  });
});
