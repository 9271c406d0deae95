import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openStore, status, track, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

/** A field of the panel's status list, read through its (open) shadow root. */
const field = (page: Page, name: string) =>
  page.evaluate(
    (n) =>
      document.querySelector('#wiz-klaviyo-panel')?.shadowRoot?.querySelector(`[data-field="${n}"]`)?.textContent ??
      null,
    name,
  );
const panelText = (page: Page) =>
  page.evaluate(() => document.querySelector('#wiz-klaviyo-panel')?.shadowRoot?.textContent ?? '');

/** Every request for the panel's file in this context. */
function panelRequests(context: BrowserContext): string[] {
  const fetched: string[] = [];
  context.on(
    'request',
    (request) => void (request.url().includes('wiz-klaviyo.panel.js') && fetched.push(request.url())),
  );
  return fetched;
}

describe('the data-debug="panel" panel, in Chromium', () => {
  it('is never fetched with plain data-debug', async () => {
    const context = await suite.newContext();
    const fetched = panelRequests(context);
    const page = await openStore(context, `${suite.standIn.url}/debug.html`);
    await page.waitForFunction(() => typeof (window as any).__wizKlaviyoDescribe === 'function');
    await track(page, 'Viewed Product', { ProductID: 'p1' });
    await page.waitForTimeout(300);
    expect(fetched).toEqual([]);
    expect(await page.evaluate(() => document.querySelector('#wiz-klaviyo-panel'))).toBeNull();
    expect(await page.evaluate(() => typeof (window as any).__wizKlaviyoPanel)).toBe('undefined');
  });

  it('shows status, held events, the last events and a dead letter that Replay re-queues, under a strict CSP', async () => {
    const context = await suite.newContext();
    const fetched = panelRequests(context);
    const page = await openStore(context, `${suite.standIn.url}/panel.html`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.querySelector('#wiz-klaviyo-panel')?.shadowRoot?.querySelector('dl dt'));
    expect(fetched).toEqual([`${suite.standIn.url}/dist/wiz-klaviyo.panel.js`]);

    // A guest's event is held; the panel's counts are status()'s.
    await track(page, 'Viewed Product', { ProductID: 'p1', Note: 'for jane.doe@example.com' });
    // With the page's own "Active on Site", tracked before the panel's file had loaded: the panel lists it too.
    await expect.poll(async () => (await status(page)).held).toBe(2);
    await expect
      .poll(async () => {
        const now = await status(page);
        return [await field(page, 'queued'), await field(page, 'held')].join() === `${now.queued},${now.held}`;
      })
      .toBe(true);
    const text = await panelText(page);
    expect(text).toContain('Viewed Product (held: guest)');
    expect(text).toContain('Active on Site (held: guest)');
    expect(text).toContain('"ProductID":"p1"');
    expect(text).toContain('j***@example.com');
    expect(text).not.toContain('jane.doe@example.com');

    // Klaviyo refuses the events once the buyer is known: a dead letter.
    await page.route(
      (url) => url.pathname === '/client/events',
      (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/vnd.api+json',
          body: JSON.stringify({
            errors: [
              {
                id: 'e1',
                status: 400,
                code: 'invalid',
                title: 'Invalid input.',
                detail: 'The metric is not allowed.',
                source: { pointer: '/data/attributes/metric' },
              },
            ],
          }),
        }),
    );
    await page.evaluate(() => (window as any).wizKlaviyo.identify({ email: 'jane.doe@example.com' }));
    await expect.poll(async () => (await status(page)).deadLettered, { timeout: 10_000 }).toBe(2);
    const [letter] = await page.evaluate(() => (window as any).wizKlaviyo.deadLetters.list());
    await expect
      .poll(() => panelText(page), { timeout: 5_000 })
      .toContain(`unique_id ${letter.record.payload.uniqueId}`);
    const shown = await panelText(page);
    expect(shown).toContain('rejected · 400 · ');
    expect(await field(page, 'deadLettered')).toBe('2');
    expect(
      await page.evaluate(
        () =>
          document.querySelector('#wiz-klaviyo-panel')!.shadowRoot!.querySelectorAll('[data-field="deadLetter"]')
            .length,
      ),
    ).toBe(2);

    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/panel.png' });

    // Replay puts it back in the queue; Klaviyo takes it this time.
    await page.unrouteAll();
    await page.evaluate(() =>
      (
        document
          .querySelector('#wiz-klaviyo-panel')!
          .shadowRoot!.querySelector('[aria-label="Replay the dead letters"]') as HTMLButtonElement
      ).click(),
    );
    await expect
      .poll(
        () =>
          suite.standIn
            .state()
            .events.map((e: { metric: string }) => e.metric)
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(['Active on Site', 'Viewed Product']);
    await expect.poll(() => field(page, 'deadLettered'), { timeout: 5_000 }).toBe('0');
    expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);

    // The close button takes it off the page.
    await page.evaluate(() =>
      (
        document
          .querySelector('#wiz-klaviyo-panel')!
          .shadowRoot!.querySelector('[aria-label="Close the wiz-klaviyo panel"]') as HTMLButtonElement
      ).click(),
    );
    expect(await page.evaluate(() => document.querySelector('#wiz-klaviyo-panel'))).toBeNull();
  });
});
