import { describe, expect, it } from 'vitest';
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { RecordedEvent, StandIn } from '../../examples/stand-in/server.mjs';
import { useBrowserSuite } from './chromium';

/**
 * A shopper walks each example store the way a person does (links, forms, keyboard; nothing calls the SDK): browses
 * as a guest, searches, views and adds two products, changes a quantity in the cart, clicks Checkout, logs in, returns
 * to checkout and places the order. The stand-in must then hold each of the eight events exactly once, all on the
 * buyer's profile, with the guest's events timed before the login.
 */
const suite = useBrowserSuite({
  staticRoutes: { '/store/': 'examples/storefront' },
  spaRoutes: { '/spa/': 'examples/spa' },
});

const EMAIL = 'ada@example.com';
const EXPECTED: Record<string, number> = {
  'Active on Site': 1,
  'Viewed Product': 2,
  'Searched Site': 1,
  'Added to Cart': 2,
  'Started Checkout': 1,
  'Logged In': 1,
  'Placed Order': 1,
  'Ordered Product': 2,
};
const GUEST_METRICS = ['Active on Site', 'Viewed Product', 'Searched Site', 'Added to Cart', 'Started Checkout'];
// Linen Shirt (p1, €49) from the search results, Merino Sweater (p3, €89) from the Knitwear category; the cart page
// then sets the shirt to 2: €187.
const SHIRT = { id: 'p1', name: 'Linen Shirt', price: 49 };
const SWEATER = { id: 'p3', name: 'Merino Sweater', price: 89 };
const TOTAL = 2 * SHIRT.price + SWEATER.price;
/** How long a person holds the mouse button: an SPA view has rendered and settled before the next click lands. */
const PRESS = { delay: 100 };
const TYPE = { delay: 30 };

/** A fresh profile with klaviyo.js blocked, so the SDK sends its own Active on Site. */
async function shopperContext(): Promise<BrowserContext> {
  const context = await suite.newContext();
  await context.route('**/onsite/js/**', (route) => route.abort('blockedbyclient'));
  return context;
}

/** Waits until the script tag has replaced the stub (reads a flag; calls nothing). */
async function sdkLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);
}

/** Opens a page by a real navigation (link, form, location.assign) and waits for it and the SDK. */
async function arrive(page: Page, path: string | RegExp): Promise<void> {
  await page.waitForURL(path);
  await page.waitForLoadState('load');
  await sdkLoaded(page);
}

async function fillCheckout(page: Page): Promise<void> {
  const form = page.locator('form.checkout-form');
  await form.getByLabel('Email').pressSequentially(EMAIL, TYPE);
  await form.getByLabel('First name').click(PRESS); // leaving the email field: its change event
  await form.getByLabel('First name').pressSequentially('Ada', TYPE);
  await form.getByLabel('Last name').fill('Lovelace');
  await form.getByLabel('Street and number').fill('Unter den Linden 1');
  await form.getByLabel('Postcode').fill('10117');
  await form.getByLabel('City').fill('Berlin');
  await form.getByLabel('Country').selectOption('DE');
}

/** The result count the search results page states, which the Searched Site from the search form must carry. */
async function statedResultCount(results: ReturnType<Page['locator']>): Promise<number> {
  return Number(await results.getAttribute('data-wk-result-count'));
}

/** Walks the multi-page store; resolves with the result count its search results page stated. */
async function walkStorefront(page: Page, base: string): Promise<number> {
  // Home, then a category, as a guest.
  await page.goto(`${base}/store/`);
  await sdkLoaded(page);
  await page.locator('.main-nav').getByRole('link', { name: 'Shirts' }).click(PRESS);
  await arrive(page, '**/store/category/shirts/');

  // Search from the header form (Enter submits it).
  await page.getByRole('searchbox', { name: 'Search products' }).pressSequentially('linen', TYPE);
  await page.keyboard.press('Enter');
  await arrive(page, '**/store/search/?q=linen');
  const resultCount = await statedResultCount(page.locator('[data-wk-search-results]'));

  // First product, from the results: view it, add one.
  await page.locator('[data-wk-search-results]').getByRole('link', { name: SHIRT.name }).first().click(PRESS);
  await arrive(page, '**/store/products/linen-shirt/');
  await page.getByRole('button', { name: 'Add to cart' }).click(PRESS);
  await expect.poll(() => page.locator('#cart-count').textContent()).toBe('1');

  // Second product, through its category.
  await page.locator('.main-nav').getByRole('link', { name: 'Knitwear' }).click(PRESS);
  await arrive(page, '**/store/category/knitwear/');
  await page.locator('.product-grid').getByRole('link', { name: SWEATER.name }).click(PRESS);
  await arrive(page, '**/store/products/merino-sweater/');
  await page.getByRole('button', { name: 'Add to cart' }).click(PRESS);
  await expect.poll(() => page.locator('#cart-count').textContent()).toBe('2');

  // The cart: two shirts instead of one (the page announces it with wizshop:cart:update), then Checkout.
  await page.getByRole('link', { name: /^Cart/ }).click(PRESS);
  await arrive(page, '**/store/cart/');
  const shirtQuantity = page.getByLabel(`Quantity of ${SHIRT.name}`);
  await shirtQuantity.fill('2');
  await shirtQuantity.press('Tab');
  await expect.poll(() => page.locator('#cart-count').textContent()).toBe('3');
  await page.getByRole('link', { name: 'Checkout', exact: true }).click(PRESS);
  await arrive(page, '**/store/checkout/');

  // Log in from the header, then back to checkout through the cart.
  await page.locator('#account-link').click(PRESS);
  await arrive(page, '**/store/login/');
  await page.getByLabel('Email').pressSequentially(EMAIL, TYPE);
  await page.getByLabel('Password').pressSequentially('correct horse', TYPE);
  await page.getByRole('button', { name: 'Log in' }).click(PRESS);
  await arrive(page, '**/store/account/');
  await page.getByRole('link', { name: /^Cart/ }).click(PRESS);
  await arrive(page, '**/store/cart/');
  await page.getByRole('link', { name: 'Checkout', exact: true }).click(PRESS);
  await arrive(page, '**/store/checkout/');

  // Fill the form and place the order.
  await fillCheckout(page);
  await page.getByRole('button', { name: 'Place order' }).click(PRESS);
  await arrive(page, '**/store/order/');
  await expect.poll(() => page.locator('h1').first().textContent()).toBe('Thank you, Ada!');
  return resultCount;
}

/** Walks the single-page app; resolves with the result count its search view stated. */
async function walkSpa(page: Page, base: string): Promise<number> {
  const view = page.locator('#view');
  const heading = () => view.locator('h1').first().textContent();

  await page.goto(`${base}/spa/`);
  await sdkLoaded(page);
  await page.locator('.main-nav').getByRole('link', { name: 'Shirts' }).click(PRESS);
  await page.waitForURL('**/spa/category/shirts');
  await expect.poll(heading).toBe('Shirts');

  await page.getByRole('searchbox', { name: 'Search products' }).pressSequentially('linen', TYPE);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/spa/search?q=linen');
  const resultCount = await statedResultCount(view.locator('[data-wk-search-results]'));

  await view.locator('[data-wk-search-results]').getByRole('link', { name: SHIRT.name }).first().click(PRESS);
  await page.waitForURL(`**/spa/product/${SHIRT.id}`);
  await expect.poll(heading).toBe(SHIRT.name);
  await view.getByRole('button', { name: 'Add to cart' }).click(PRESS);
  await expect.poll(() => page.locator('#cart-count').textContent()).toBe('1');

  await page.locator('.main-nav').getByRole('link', { name: 'Knitwear' }).click(PRESS);
  await page.waitForURL('**/spa/category/knitwear');
  await view.locator('.product-grid').getByRole('link', { name: SWEATER.name }).click(PRESS);
  await page.waitForURL(`**/spa/product/${SWEATER.id}`);
  await expect.poll(heading).toBe(SWEATER.name);
  await view.getByRole('button', { name: 'Add to cart' }).click(PRESS);
  await expect.poll(() => page.locator('#cart-count').textContent()).toBe('2');

  await page.getByRole('link', { name: /^Cart/ }).click(PRESS);
  await page.waitForURL('**/spa/cart');
  const shirtQuantity = view.getByLabel(`Quantity of ${SHIRT.name}`);
  await shirtQuantity.fill('2');
  await shirtQuantity.press('Tab');
  await expect.poll(() => page.locator('#cart-count').textContent()).toBe('3');
  await view.getByRole('link', { name: 'Checkout', exact: true }).click(PRESS);
  await page.waitForURL('**/spa/checkout');
  await expect.poll(heading).toBe('Checkout');

  await page.locator('#account-link').click(PRESS);
  await page.waitForURL('**/spa/login');
  await view.getByLabel('Email').pressSequentially(EMAIL, TYPE);
  await view.getByLabel('Password').pressSequentially('correct horse', TYPE);
  await view.getByRole('button', { name: 'Log in' }).click(PRESS);
  await page.waitForURL('**/spa/account');
  await page.getByRole('link', { name: /^Cart/ }).click(PRESS);
  await page.waitForURL('**/spa/cart');
  await view.getByRole('link', { name: 'Checkout', exact: true }).click(PRESS);
  await page.waitForURL('**/spa/checkout');

  await fillCheckout(page);
  await view.getByRole('button', { name: 'Place order' }).click(PRESS);
  await page.waitForURL('**/spa/order');
  await expect.poll(heading).toBe('Thank you, Ada!');
  return resultCount;
}

function countByMetric(events: RecordedEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) counts[event.metric] = (counts[event.metric] ?? 0) + 1;
  return counts;
}

const time = (event: RecordedEvent) => Date.parse(event.time ?? '');

/** One line per event, for a failure message that shows where an extra one came from. */
function describeEvents(events: RecordedEvent[]): string {
  const line = (e: RecordedEvent) =>
    `${e.time} ${e.metric} unique_id=${e.uniqueId} value=${e.value} ${JSON.stringify(e.properties).slice(0, 160)}`;
  return `events received:\n${[...events]
    .sort((a, b) => time(a) - time(b))
    .map(line)
    .join('\n')}\n`;
}

/** The event requests that carried the same event (metric and unique_id) more than once, with when they arrived. */
function describeDuplicates(standIn: StandIn): string {
  const seen = new Map<string, string[]>();
  for (const request of standIn.state().requests) {
    if (!request.path.startsWith('/client/events')) continue;
    const attributes = (request.body as any)?.data?.attributes;
    const key = `${attributes?.metric?.data?.attributes?.name} unique_id=${attributes?.unique_id}`;
    seen.set(key, [...(seen.get(key) ?? []), `${request.receivedAt} (${request.status})`]);
  }
  const repeated = [...seen].filter(([, arrivals]) => arrivals.length > 1);
  return `sent more than once:\n${repeated.map(([key, arrivals]) => `${key}: ${arrivals.join(', ')}`).join('\n')}\n`;
}

/** The events of one metric, in the order they happened. */
const byMetric = (events: RecordedEvent[], metric: string) =>
  events.filter((e) => e.metric === metric).sort((a, b) => time(a) - time(b));

/** Every expected event arrives, none twice, all on the buyer, the guest's before the login. */
/**
 * Requests that may carry an event already received. Delivery is at-least-once on the wire: when a page is left right
 * after an action (a search submit, the checkout link, the login form, placing the order), what was in flight may be
 * sent again by the next page under the same unique_id, and Klaviyo keeps one. A handful per walk, never a backlog.
 */
const WIRE_RESENDS = { multiPage: 8, singlePage: 0 };

async function expectTheEightEvents(
  standIn: StandIn,
  productUrl: (id: string) => RegExp,
  maxResends: number,
  resultCount: number,
) {
  // Arrival: wait until every metric has at least its count (an extra one then fails the exact check below).
  await expect
    .poll(
      () => {
        const counts = countByMetric(standIn.state().events);
        return Object.keys(EXPECTED).filter((metric) => (counts[metric] ?? 0) < EXPECTED[metric]);
      },
      { timeout: 30_000, interval: 250 },
    )
    .toEqual([]);
  const { events, duplicates } = standIn.state();
  // Soft: one run reports every deviation (an extra event and a resent one) rather than only the first.
  expect.soft(countByMetric(events), describeEvents(events)).toEqual(EXPECTED);
  expect.soft(duplicates, describeDuplicates(standIn)).toBeLessThanOrEqual(maxResends);
  expect(new Set(events.map((e) => e.profile.email))).toEqual(new Set([EMAIL]));

  const [loggedIn] = byMetric(events, 'Logged In');
  for (const metric of GUEST_METRICS) {
    // The first ones, as many as expected: an extra one (reported above) may come after the login.
    for (const event of byMetric(events, metric).slice(0, EXPECTED[metric])) {
      expect.soft(time(event), `${event.metric} (guest) before Logged In`).toBeLessThan(time(loggedIn));
    }
  }
  for (const event of [...byMetric(events, 'Placed Order'), ...byMetric(events, 'Ordered Product')]) {
    expect(time(event), `${event.metric} after Logged In`).toBeGreaterThan(time(loggedIn));
  }

  const viewed = byMetric(events, 'Viewed Product');
  expect(viewed.map((e) => e.properties.ProductID).sort()).toEqual([SHIRT.id, SWEATER.id]);
  for (const event of viewed) {
    const product = event.properties.ProductID === SHIRT.id ? SHIRT : SWEATER;
    expect(event.properties).toMatchObject({ ProductName: product.name, Price: product.price });
    expect(event.properties.URL).toMatch(productUrl(product.id));
  }

  const added = byMetric(events, 'Added to Cart');
  expect(added.map((e) => e.properties.AddedItemProductID)).toEqual([SHIRT.id, SWEATER.id]);
  expect(added.map((e) => (e.properties.Items as unknown[]).length)).toEqual([1, 2]);
  expect(added.map((e) => e.value)).toEqual([SHIRT.price, SHIRT.price + SWEATER.price]);

  const [checkout] = byMetric(events, 'Started Checkout');
  const items = checkout.properties.Items as Array<Record<string, unknown>>;
  expect(items.map((i) => [i.ProductID, i.Quantity])).toEqual([
    [SHIRT.id, 2],
    [SWEATER.id, 1],
  ]);
  expect(checkout.value).toBe(TOTAL);

  // One event from the search form, completed with the count its results page stated.
  expect(byMetric(events, 'Searched Site')[0].properties).toEqual({
    SearchTerm: 'linen',
    ReturnedResults: resultCount,
  });
  expect(byMetric(events, 'Active on Site')[0].properties.URL).toMatch(/^http:\/\//);

  const [order] = byMetric(events, 'Placed Order');
  const orderId = order.properties.OrderId as string;
  expect(orderId).toMatch(/^LL-\d+$/);
  expect(order.uniqueId).toBe(orderId);
  expect(order.value).toBe(TOTAL);
  expect(order.properties.Items).toHaveLength(2);
  expect(order.properties.ItemNames).toEqual([SHIRT.name, SWEATER.name]);
  const ordered = byMetric(events, 'Ordered Product');
  expect(ordered.map((e) => e.uniqueId).sort()).toEqual([`${orderId}:1`, `${orderId}:2`]);
  expect(ordered.map((e) => [e.properties.ProductID, e.value]).sort()).toEqual([
    [SHIRT.id, 2 * SHIRT.price],
    [SWEATER.id, SWEATER.price],
  ]);
  return { events, duplicates };
}

/** Nothing more arrived, new or resent, in the seconds the live page took to render. */
function expectNothingLate(standIn: StandIn, seen: { events: RecordedEvent[]; duplicates: number }): void {
  const later = standIn.state();
  expect(later.events.slice(seen.events.length), 'events that arrived late').toEqual([]);
  expect(later.duplicates, describeDuplicates(standIn)).toBe(seen.duplicates);
}

/** The stand-in's live page after the walk, saved for a person to look at. */
async function screenshotLivePage(context: BrowserContext, base: string, name: string, events: number): Promise<void> {
  const live = await context.newPage();
  await live.goto(`${base}/__stand-in/`);
  await live.locator('#profiles .profile li.event').first().waitFor();
  await expect.poll(() => live.locator('#counters .counter strong').nth(1).textContent()).toBe(String(events));
  await mkdir(resolve('artifacts'), { recursive: true });
  const file = resolve('artifacts', `stand-in-after-walk-${name}.png`);
  await live.screenshot({ path: file, fullPage: true });
  expect((await stat(file)).size).toBeGreaterThan(0);
}

describe('a shopper walking the example stores in Chromium', () => {
  it('multi-page store: each of the eight events is recorded once, on the buyer, guest events before the login', async () => {
    const { standIn } = suite;
    const context = await shopperContext();
    const page = await context.newPage();
    const resultCount = await walkStorefront(page, standIn.url);

    const seen = await expectTheEightEvents(
      standIn,
      (id) => {
        const slug = id === SHIRT.id ? 'linen-shirt' : 'merino-sweater';
        return new RegExp(`^${standIn.url}/store/products/${slug}/$`);
      },
      WIRE_RESENDS.multiPage,
      resultCount,
    );
    await screenshotLivePage(context, standIn.url, 'store', seen.events.length);
    expectNothingLate(standIn, seen);
  });

  it('single-page app: each of the eight events is recorded once, on the buyer, guest events before the login', async () => {
    const { standIn } = suite;
    const context = await shopperContext();
    const page = await context.newPage();
    const resultCount = await walkSpa(page, standIn.url);

    const seen = await expectTheEightEvents(
      standIn,
      (id) => new RegExp(`^${standIn.url}/spa/product/${id}$`),
      WIRE_RESENDS.singlePage,
      resultCount,
    );

    await screenshotLivePage(context, standIn.url, 'spa', seen.events.length);
    expectNothingLate(standIn, seen);
  });
});
