import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStore, status, track, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

/** guest.html holds a guest's events; its stub tracks a Viewed Product, and this adds an Added to Cart. */
async function browseAsGuest(page: Page): Promise<void> {
  expect((await track(page, 'Added to Cart', { ItemNames: ['Linen Shirt'] })).ok).toBe(true);
  await expect.poll(() => status(page).then((s) => s.held)).toBeGreaterThanOrEqual(2);
  expect(suite.standIn.state().events).toEqual([]);
}

const receivedOn = () => suite.standIn.state().events.map((e) => [e.metric, e.profile._kx]);

/** The guest's browsing reaches the stand-in, and every event there is on the `_kx` profile. */
async function expectAllOn(kx: string): Promise<void> {
  await expect.poll(receivedOn, { timeout: 20_000 }).toEqual(
    expect.arrayContaining([
      ['Viewed Product', kx],
      ['Added to Cart', kx],
    ]),
  );
  expect(new Set(suite.standIn.state().events.map((e) => e.profile._kx))).toEqual(new Set([kx]));
}

describe("a guest whom klaviyo.js's __kla_id cookie names, in Chromium", () => {
  it('has the held events land on the _kx profile after signing up through a Klaviyo form', async () => {
    const context = await suite.newContext();
    const page = await openStore(context, `${suite.standIn.url}/guest.html`);
    await expect.poll(() => status(page).then((s) => s.klaviyoJs)).toBe('loaded');
    await browseAsGuest(page);

    await page.evaluate(() => (window as any).__fakeKlaviyoJs.submitForm('ada@example.com'));

    const kx = 'stand-in-kx.ada@example.com';
    await expectAllOn(kx);
    expect(await status(page)).toMatchObject({ identified: true, held: 0 });
  });

  it('has the held events land on the _kx profile when a later page finds the visitor identified', async () => {
    const context = await suite.newContext();
    const page = await openStore(context, `${suite.standIn.url}/guest.html`);
    await browseAsGuest(page);

    await page.goto(`${suite.standIn.url}/guest.html?kla_identified=1`);
    await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);

    const kx = 'stand-in-kx.identified';
    await expectAllOn(kx);
    expect(suite.standIn.state().duplicates).toBe(0);
  });
});
