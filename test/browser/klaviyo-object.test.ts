import { describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { openStore, status, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

/** Holds every klaviyo.js request until the returned function is called, so the page runs without it first. */
async function delayKlaviyoJs(context: BrowserContext): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route('**/onsite/js/**', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** What a storefront's theme does with Klaviyo's object; the answers are collected on window.__answers. */
function storefrontCalls(label: string): void {
  const w = window as any;
  const answers = (w.__answers ??= {});
  w.klaviyo.isIdentified().then((known: unknown) => (answers[`${label}:isIdentified`] = known));
  w.klaviyo.account().then((key: unknown) => (answers[`${label}:account`] = key));
  w.klaviyo.push(['track', `Theme event ${label}`, {}]);
  w.klaviyo.isIdentified((known: unknown) => (answers[`${label}:callback`] = known));
}

describe('window.klaviyo in Chromium', () => {
  it("answers the storefront's calls made before and after klaviyo.js loads, with klaviyo.js's answers", async () => {
    const context = await suite.newContext();
    const release = await delayKlaviyoJs(context);
    const page = await context.newPage();
    await page.goto(`${suite.standIn.url}/store.html`, { waitUntil: 'domcontentloaded' }); // 'load' waits for klaviyo.js
    await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);

    await page.evaluate(storefrontCalls, 'before');
    expect(await page.evaluate(() => (window as any).__fakeKlaviyoJs)).toBeUndefined();
    expect(await page.evaluate(() => (window as any).__answers)).toEqual({});

    release();
    await page.waitForFunction(() => Object.keys((window as any).__answers).length === 3);
    expect(await page.evaluate(() => (window as any).__answers)).toEqual({
      'before:isIdentified': false,
      'before:account': 'AbC123',
      'before:callback': false,
    });

    // The SDK's own identify reaches klaviyo.js through the same object; afterwards klaviyo.js knows the visitor.
    expect((await page.evaluate(() => (window as any).wizKlaviyo.identify({ email: 'ada@example.com' }))).ok).toBe(
      true,
    );
    await page.evaluate(storefrontCalls, 'after');
    await page.waitForFunction(() => Object.keys((window as any).__answers).length === 6);
    expect(await page.evaluate(() => (window as any).__answers)).toMatchObject({
      'after:isIdentified': true,
      'after:account': 'AbC123',
      'after:callback': true,
    });
    const calls: string[] = await page.evaluate(() =>
      (window as any).__fakeKlaviyoJs.calls.map((c: unknown[]) => String(c[0])),
    );
    expect(calls).toEqual(expect.arrayContaining(['identify', 'track', 'isIdentified', 'account']));
    const tracked = await page.evaluate(() =>
      (window as any).__fakeKlaviyoJs.calls.filter((c: unknown[]) => c[0] === 'track').map((c: unknown[]) => c[1]),
    );
    expect(tracked).toEqual(expect.arrayContaining(['Theme event before', 'Theme event after']));
    expect((await status(page)).klaviyoJs).toBe('loaded');
  });

  it('keeps a klaviyo object the page set itself, and still reaches it', async () => {
    const context = await suite.newContext();
    await context.addInitScript(() => {
      const calls: unknown[][] = [];
      (window as any).klaviyo = {
        mine: true,
        calls,
        identify: (...args: unknown[]) => calls.push(['identify', ...args]),
      };
    });
    const page = await openStore(context, `${suite.standIn.url}/store.html`);
    await page.evaluate(() => (window as any).wizKlaviyo.identify({ email: 'ada@example.com' }));
    await expect.poll(() => status(page).then((s) => s.klaviyoJs)).toBe('loaded');
    expect(await page.evaluate(() => (window as any).klaviyo.mine)).toBe(true);
    expect(await page.evaluate(() => (window as any).klaviyo.calls)).toEqual([
      ['identify', { email: 'ada@example.com' }],
    ]);
  });
});
