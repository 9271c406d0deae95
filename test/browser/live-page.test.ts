import { describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { useBrowserSuite } from './chromium';

/**
 * The stand-in's live page as a merchant reads it: events by the time they happened, guest events marked where they
 * were held until the login, duplicates that were kept out, properties as rows, a timeline per profile, fault
 * buttons, and no sideways scrolling on a phone. Then the example store's account page and header.
 */
const suite = useBrowserSuite({
  staticRoutes: { '/store/': 'examples/storefront' },
  spaRoutes: { '/spa/': 'examples/spa' },
});

const HEADERS = { 'content-type': 'application/vnd.api+json', revision: '2026-07-15' };
const EMAIL = 'ada@example.com';

async function post(route: string, body: unknown): Promise<void> {
  const response = await fetch(`${suite.standIn.url}${route}?company_id=AbC123`, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
}

function postEvent(metric: string, uniqueId: string, secondsAgo: number, profile: Record<string, unknown>) {
  const properties = { ProductName: 'Linen Shirt', Price: 49, Categories: ['Shirts', 'Linen'], Brand: { name: 'L&L' } };
  return post('/client/events', {
    data: {
      type: 'event',
      attributes: {
        properties,
        time: new Date(Date.now() - secondsAgo * 1000).toISOString(),
        unique_id: uniqueId,
        metric: { data: { type: 'metric', attributes: { name: metric } } },
        profile: { data: { type: 'profile', attributes: profile } },
      },
    },
  });
}

/** A guest browsed, logged in 10 s ago, and the SDK released the guest's events on the buyer (out of order). */
async function recordWalk(): Promise<void> {
  const buyer = { email: EMAIL };
  await postEvent('Logged In', 'login-1', 10, buyer);
  await postEvent('Added to Cart', 'cart-1', 20, buyer);
  await postEvent('Viewed Product', 'view-1', 30, buyer);
  await post('/client/profiles', { data: { type: 'profile', attributes: { email: EMAIL, first_name: 'Ada' } } });
  await postEvent('Placed Order', 'order-1', 2, buyer);
  await postEvent('Viewed Product', 'view-1', 30, buyer); // a retry Klaviyo had already: kept out
  await postEvent('Active on Site', 'active-1', 5, { anonymous_id: 'guest-2' });
}

async function openLivePage(page: Page): Promise<void> {
  await page.goto(`${suite.standIn.url}/__stand-in/`);
  await page.waitForFunction(() => document.querySelectorAll('section.profile').length === 2);
}

function buyerSection(page: Page) {
  return page.locator('section.profile', { hasText: EMAIL });
}

describe('the stand-in live page', () => {
  for (const width of [390, 1280]) {
    it(`shows events by time, held and kept-out marks, rows and a timeline at ${width} px`, async () => {
      await recordWalk();
      const context = await suite.newContext();
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await openLivePage(page);
      const buyer = buyerSection(page);

      const items = buyer.locator('li.event');
      expect(await items.locator('.metric').allTextContents()).toEqual([
        'Viewed Product',
        'Added to Cart',
        'Logged In',
        'Placed Order',
      ]);
      const times = await items.evaluateAll((nodes) => nodes.map((n) => Date.parse(n.getAttribute('data-time')!)));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      await expect.poll(() => items.first().locator('.when').first().textContent()).toMatch(/received .* later/);

      // Held until identify: the two guest events, not the login itself nor the order after it.
      const held = await items.evaluateAll((nodes) => nodes.map((n) => n.querySelector('.mark.held') !== null));
      expect(held).toEqual([true, true, false, false]);
      expect(await page.locator('#legend').textContent()).toContain('held until identify');

      const kept = buyer.locator('ul.duplicates li');
      expect(await kept.count()).toBe(1);
      expect(await kept.textContent()).toContain('Viewed Product');
      expect(await kept.textContent()).toContain('view-1');

      // Properties as rows that expand, nested values as rows of their own.
      const properties = items.first().locator('details.properties');
      await properties.locator('summary').first().click();
      const keys = await items.first().locator('details.properties > dl.props > dt').allTextContents();
      expect(keys).toEqual(['ProductName', 'Price', 'Categories', 'Brand']);
      await properties.locator('dl.props dd summary').first().click();
      expect(await properties.locator('dl.props dd dl.props dd').first().textContent()).toBe('Shirts');
      await buyer.locator('details.properties summary').first().click(); // the profile's attributes

      // One timeline per profile; the buyer's marks the identify point and the held dots.
      expect(await page.locator('section.profile svg.timeline').count()).toBe(2);
      expect(await buyer.locator('svg.timeline line.identify').count()).toBe(1);
      expect(await buyer.locator('svg.timeline circle.dot').count()).toBe(4);
      expect(await buyer.locator('svg.timeline circle.dot.held').count()).toBe(2);
      expect(await page.locator('section.profile', { hasText: 'guest-2' }).locator('line.identify').count()).toBe(0);

      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth).toBeLessThanOrEqual(width);

      await mkdir('artifacts', { recursive: true });
      await page.screenshot({ path: `artifacts/live-${width}.png`, fullPage: true });
    });
  }

  it('fault buttons set and clear the stand-in fault', async () => {
    const context = await suite.newContext();
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${suite.standIn.url}/__stand-in/`);
    for (const [label, mode] of [
      ['500 ×3', '500'],
      ['429 ×3', '429'],
      ['drop ×3', 'drop'],
    ]) {
      await page.getByRole('button', { name: label }).click();
      await expect.poll(() => suite.standIn.state().fault).toMatchObject({ mode, count: 3 });
      await expect.poll(() => page.locator('#fault').textContent()).toContain(`Fault injection: ${mode}`);
    }
    await page.getByRole('button', { name: 'off' }).click();
    await expect.poll(() => suite.standIn.state().fault.mode).toBe('ok');
    await expect.poll(() => page.locator('#fault').textContent()).toBe('Fault injection: off');
  });
});

describe('the example stores: account page and header', () => {
  async function noNull(page: Page): Promise<void> {
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/\bnull\b|\bundefined\b/);
  }

  function headerHeight(page: Page): Promise<number> {
    return page.locator('.header-bar').evaluate((bar) => bar.getBoundingClientRect().height);
  }

  /** Every item of the header bar shares one row: each starts above where every other ends. */
  async function expectOneRow(page: Page, oneRow: number): Promise<void> {
    expect(await headerHeight(page)).toBeLessThanOrEqual(oneRow + 1);
    const rows = await page.locator('.header-bar').evaluate((node) =>
      Array.from(node.children).map((child) => {
        const box = child.getBoundingClientRect();
        return [box.top, box.bottom];
      }),
    );
    const lowestTop = Math.max(...rows.map(([top]) => top));
    const highestBottom = Math.min(...rows.map(([, bottom]) => bottom));
    expect(lowestTop).toBeLessThan(highestBottom);
  }

  const LONG_EMAIL = 'ada.lovelace.longname@example.com';

  for (const store of [
    { name: 'multi-page', account: '/store/account/', login: '/store/login/', form: '#login-form' },
    { name: 'single-page', account: '/spa/account', login: '/spa/login', form: '#view' },
  ]) {
    it(`${store.name}: no "null" logged out or logged in; the logged-in header is one row at 1280 px`, async () => {
      const context = await suite.newContext();
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${suite.standIn.url}${store.account}`);
      await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);
      await expect.poll(() => page.locator('#account-link').textContent()).toBe('Log in');
      await noNull(page);
      const oneRow = await headerHeight(page);

      await page.goto(`${suite.standIn.url}${store.login}`);
      const form = page.locator(store.form);
      await form.getByLabel('Email').fill(LONG_EMAIL);
      await form.getByLabel('Password').fill('correct horse');
      await form.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`**${store.account}`);
      await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);
      await expect.poll(() => page.locator('body').textContent()).toContain(LONG_EMAIL);
      await noNull(page);
      expect(await page.locator('#account-link').textContent()).toBe('Account (ada.lovelace.longname)');
      await expectOneRow(page, oneRow);
      await page.screenshot({ path: `artifacts/store-account-1280-${store.name}.png` });
    });
  }
});
