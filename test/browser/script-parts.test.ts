import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { openStore, receivedMetrics, receivedProductIds, track, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

/** The script tag's features file: held back or refused by the test, as a slow network or an ad blocker would. */
const FEATURES = '**/dist/wiz-klaviyo.features.js';

/** Serves /sri.html: parts.html's tag with the first file's integrity hash, as a shop hosting it on a CDN writes it. */
async function storeWithIntegrity(context: BrowserContext) {
  const hash = `sha384-${createHash('sha384').update(readFileSync('dist/wiz-klaviyo.iife.js')).digest('base64')}`;
  const tag =
    `<script async src="/dist/wiz-klaviyo.iife.js" integrity="${hash}" crossorigin="anonymous" data-site-key="AbC123"` +
    ` data-tenant="parts-store" data-endpoint="/" data-onsite="false" data-guest-events="send" data-autotrack="false">`;
  await context.route('**/sri.html', (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><head>${tag}</script></head><body></body>` }),
  );
  return openStore(context, `${suite.standIn.url}/sri.html`);
}

const identify = (page: import('playwright-core').Page) =>
  page.evaluate(() =>
    (window as any).wizKlaviyo.identify({ email: 'ada@example.com' }).then((r: any) => [r.ok, r.error?.code]),
  );

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

  it('reads the code it shares with the first file from it, and does nothing beside a first file of another release', async () => {
    const context = await suite.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${suite.standIn.url}/blank.html`);
    /** Loads a later file the way the first file does, and says what it registered. */
    const load = (file: string) =>
      page.evaluate(
        (src) =>
          new Promise<string[]>((done) => {
            const script = document.createElement('script');
            script.src = src;
            script.onload = script.onerror = () => done(Object.keys((window as any).__wizKlaviyoParts ?? {}));
            document.head.append(script);
          }),
        file,
      );
    // No first file on the page (so no kit): the later files stop before anything runs.
    expect(await load('/dist/wiz-klaviyo.sender.js')).toEqual([]);
    // A first file of another release (a cached copy) filled the kit: its modules may not fit, so nothing runs either.
    await page.evaluate(() => ((window as any).__wizKlaviyoKit = ['0.0.1-other']));
    expect(await load('/dist/wiz-klaviyo.features.js')).toEqual([]);
    expect(errors).toEqual([]);
    // Beside this release's first file, both register (and every other Chromium test runs the three files together).
    await page.evaluate(() => delete (window as any).__wizKlaviyoKit);
    expect(await load('/dist/wiz-klaviyo.iife.js')).toEqual(expect.any(Array));
    expect(await page.evaluate(() => (window as any).__wizKlaviyoKit?.[0])).toMatch(/^\d+\.\d+\.\d+/);
    expect((await load('/dist/wiz-klaviyo.sender.js')).sort()).toContain('sender');
    expect((await load('/dist/wiz-klaviyo.features.js')).sort()).toEqual(['features', 'sender']);
    expect(errors).toEqual([]);
  });

  it('checks the other files against their hashes when the tag has integrity, and runs none that does not match', async () => {
    const checked = await storeWithIntegrity(await suite.newContext());
    expect(await identify(checked)).toEqual([true, undefined]);

    const context = await suite.newContext();
    // The features file as a tampered CDN would serve it: one byte more.
    await context.route(FEATURES, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `${await response.text()}\n` });
    });
    const tampered = await storeWithIntegrity(context);
    expect(await identify(tampered)).toEqual([false, 'feature_unavailable']);
    expect(await tampered.evaluate(() => Object.keys((window as any).__wizKlaviyoParts ?? {}))).toEqual(['sender']);
    expect((await track(tampered, 'Viewed Product', { ProductID: 'checked' })).ok).toBe(true);
    await expect.poll(() => receivedProductIds(suite.standIn), { timeout: 10_000 }).toContain('checked');
  });
});
