import { describe, expect, it } from 'vitest';
import { openStore, status, track, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

describe('a page that enforces Trusted Types, in Chromium', () => {
  it('loads klaviyo.js through the wiz-klaviyo policy the page allows, and tracks', async () => {
    const context = await suite.newContext();
    const page = await openStore(context, `${suite.standIn.url}/tt-allowed.html`);
    expect((await track(page, 'Viewed Product', { ProductID: 'p1' })).ok).toBe(true);
    await expect
      .poll(() => suite.standIn.state().events.map((e) => e.metric), { timeout: 10_000 })
      .toContain('Viewed Product');
    await expect.poll(async () => (await status(page)).klaviyoJs, { timeout: 10_000 }).toBe('loaded');
  });

  it('keeps tracking and delivering when the page allows no policy: klaviyo.js counts as blocked', async () => {
    const context = await suite.newContext();
    const page = await openStore(context, `${suite.standIn.url}/tt-none.html`);
    expect((await track(page, 'Viewed Product', { ProductID: 'p2' })).ok).toBe(true);
    await expect
      .poll(() => suite.standIn.state().events.map((e) => e.properties.ProductID), { timeout: 10_000 })
      .toContain('p2');
    const now = await status(page);
    expect(now.klaviyoJs).toBe('blocked');
    expect(now.lastError?.code).toBe('onsite_blocked');
  });
});
