import { describe, expect, it } from 'vitest';
import { openStore, status, useBrowserSuite, receivedMetrics } from './chromium';

const suite = useBrowserSuite({ staticRoutes: { '/demo/': 'examples/demo' } });
const REFUSED = '+15005550009';

describe('the demo page, in Chromium', () => {
  it('shows a phone Klaviyo refuses: the buyer loses it and their events land on the email', async () => {
    const context = await suite.newContext();
    const page = await openStore(context, `${suite.standIn.url}/demo/`);
    await page.click('[data-action="refused-phone"]');

    // Logged In, the profile update and the Viewed Product after it all land on the email, without the phone.
    await expect
      .poll(() => receivedMetrics(suite.standIn), { timeout: 20_000 })
      .toEqual(['Logged In', 'Viewed Product']);
    const state = suite.standIn.state();
    expect(state.refusedPhones).toEqual([REFUSED]);
    for (const event of state.events) {
      expect(event.profile.email).toBe('ada@example.com');
      expect(event.profile.phone_number).toBeUndefined();
    }
    expect(state.profiles.map((p) => p.identity)).toEqual(['email:ada@example.com']);
    expect(state.requests.some((r) => r.status === 400)).toBe(true); // Klaviyo did refuse it first

    // The stand-in records a request before its answer reaches the page: the queue empties a moment later.
    await expect.poll(async () => (await status(page)).queued, { timeout: 10_000 }).toBe(0);
    const after = await status(page);
    expect(after).toMatchObject({ deadLettered: 0, identified: true });
    expect(after.lastError.code).toBe('identifier_rejected');
  });

  it('records one Searched Site per search on the demo page', async () => {
    const context = await suite.newContext();
    const page = await openStore(context, `${suite.standIn.url}/demo/`);
    await page.click('#search-form button[type=submit]');
    await expect.poll(async () => (await status(page)).held, { timeout: 10_000 }).toBe(1); // a guest's, held
    await page.click('[data-action="login"]');
    await expect
      .poll(() => suite.standIn.state().events.filter((e) => e.metric === 'Searched Site').length, { timeout: 20_000 })
      .toBe(1);
    // Nothing else is waiting: an auto-tracked second search would sit in the queue for its results page.
    await expect.poll(async () => (await status(page)).queued, { timeout: 10_000 }).toBe(0);
    expect(suite.standIn.state().events.filter((e) => e.metric === 'Searched Site')).toHaveLength(1);
  });
});
