import { describe, expect, it, vi } from 'vitest';
import type { WizKlaviyoOptions } from '../../src/options';
import { createFakePage, onsiteQueue } from '../support/fake-page';
import { createLocks } from '../support/harness';
import { useKlaviyo } from '../support/suite';
import { createManualClock } from '../support/manual-clock';

const { klaviyo, make } = useKlaviyo();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The attributes of the only event named `metric` that Klaviyo received. */
function attributesOf(metric: string): any {
  const found = klaviyo.events().filter((r) => r.body.data.attributes.metric.data.attributes.name === metric);
  expect(found, `one "${metric}" received`).toHaveLength(1);
  return found[0].body.data.attributes;
}
const waitForEvents = (count: number) => vi.waitFor(() => expect(klaviyo.events()).toHaveLength(count));

const shirt = {
  id: 'p-1',
  name: 'Linen Shirt',
  sku: 'LS-M-BLUE',
  variantId: 'v-9',
  price: 49,
  compareAtPrice: 59,
  url: 'https://shop.example/products/linen-shirt',
  imageUrl: 'https://cdn.example/linen-shirt.jpg',
  categories: ['Shirts', 'Summer'],
  brand: 'Wiz',
};
const scarf = {
  id: 'p-2',
  name: 'Wool Scarf',
  sku: 'WS-1',
  price: 20.5,
  url: 'https://shop.example/products/wool-scarf',
  imageUrl: 'https://cdn.example/wool-scarf.jpg',
  categories: ['Accessories', 'Summer'],
  brand: 'Knitworks',
};
const shirtItem = {
  ProductID: 'p-1',
  SKU: 'LS-M-BLUE',
  ProductName: 'Linen Shirt',
  Quantity: 2,
  ItemPrice: 49,
  RowTotal: 98,
  ProductURL: 'https://shop.example/products/linen-shirt',
  ImageURL: 'https://cdn.example/linen-shirt.jpg',
  ProductCategories: ['Shirts', 'Summer'],
};
const scarfItem = {
  ProductID: 'p-2',
  SKU: 'WS-1',
  ProductName: 'Wool Scarf',
  Quantity: 1,
  ItemPrice: 20.5,
  RowTotal: 20.5,
  ProductURL: 'https://shop.example/products/wool-scarf',
  ImageURL: 'https://cdn.example/wool-scarf.jpg',
  ProductCategories: ['Accessories', 'Summer'],
};
/** A cart item as a Placed Order item: `Categories` and `Brand` instead of `ProductCategories`. */
function orderItem({ ProductCategories, ...item }: typeof shirtItem, brand: string) {
  return { ...item, Categories: ProductCategories, Brand: brand };
}
const cart = {
  id: 'cart-7',
  lines: [
    { ...shirt, quantity: 2 },
    { ...scarf, quantity: 1 },
  ],
  currency: 'EUR',
  checkoutUrl: 'https://shop.example/checkout/cart-7',
};
const address = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  address1: 'Main St 1',
  city: 'Berlin',
  zip: '10115',
  country: 'Germany',
  countryCode: 'DE',
};

describe('typed helpers build Klaviyo properties', () => {
  it('viewedProduct sends Viewed Product with the product fields and its price as value', async () => {
    const { client } = make();
    const result = await client.viewedProduct(shirt);
    expect(result.ok).toBe(true);
    await waitForEvents(1);
    const attributes = attributesOf('Viewed Product');
    expect(attributes.properties).toEqual({
      ProductName: 'Linen Shirt',
      ProductID: 'p-1',
      SKU: 'LS-M-BLUE',
      Categories: ['Shirts', 'Summer'],
      ImageURL: 'https://cdn.example/linen-shirt.jpg',
      URL: 'https://shop.example/products/linen-shirt',
      Brand: 'Wiz',
      Price: 49,
      CompareAtPrice: 59,
    });
    expect(attributes.value).toBe(49);
    expect(attributes.unique_id).toBe(result.ok && result.uniqueId);
  });

  it('viewedProduct turns price strings from markup into numbers', async () => {
    const { client } = make();
    await client.viewedProduct({ id: 42, name: ' Linen Shirt ', price: '49.00', compareAtPrice: '59.90' } as never);
    await waitForEvents(1);
    const attributes = attributesOf('Viewed Product');
    expect(attributes.properties).toEqual({
      ProductName: 'Linen Shirt',
      ProductID: '42',
      Price: 49,
      CompareAtPrice: 59.9,
    });
    expect(attributes.value).toBe(49);
  });

  it('viewedProduct leaves out a price that is not a number instead of sending NaN', async () => {
    const { client } = make();
    await client.viewedProduct({ id: 'p-1', name: 'Linen Shirt', price: 'call us' } as never);
    await waitForEvents(1);
    const attributes = attributesOf('Viewed Product');
    expect(attributes.properties).toEqual({ ProductName: 'Linen Shirt', ProductID: 'p-1' });
    expect(attributes.value).toBeUndefined();
  });

  it('viewedProduct also tells klaviyo.js through trackViewedItem, with numbers for prices', async () => {
    const page = createFakePage();
    const { client } = make({ onsite: false, platform: { window: page.window } });
    await client.viewedProduct({ ...shirt, price: '49.00' } as never);
    expect(onsiteQueue(page.window)).toContainEqual([
      'trackViewedItem',
      {
        Title: 'Linen Shirt',
        ItemId: 'p-1',
        Categories: ['Shirts', 'Summer'],
        ImageUrl: 'https://cdn.example/linen-shirt.jpg',
        Url: 'https://shop.example/products/linen-shirt',
        Metadata: { Brand: 'Wiz', Price: 49, CompareAtPrice: 59 },
      },
    ]);
  });

  it('addedToCart sends the added item, the whole cart and the cart total as value', async () => {
    const { client } = make();
    await client.addedToCart({ ...scarf, quantity: 1 }, { ...cart, total: 118.5 });
    await waitForEvents(1);
    const attributes = attributesOf('Added to Cart');
    expect(attributes.properties).toEqual({
      AddedItemProductName: 'Wool Scarf',
      AddedItemProductID: 'p-2',
      AddedItemSKU: 'WS-1',
      AddedItemCategories: ['Accessories', 'Summer'],
      AddedItemImageURL: 'https://cdn.example/wool-scarf.jpg',
      AddedItemURL: 'https://shop.example/products/wool-scarf',
      AddedItemPrice: 20.5,
      AddedItemQuantity: 1,
      ItemNames: ['Linen Shirt', 'Wool Scarf'],
      CheckoutURL: 'https://shop.example/checkout/cart-7',
      Items: [shirtItem, scarfItem],
    });
    expect(attributes.value).toBe(118.5);
    expect(attributes.value_currency).toBe('EUR');
  });

  it('addedToCart sums the lines when the cart has no total, and uses the item alone when no cart is given', async () => {
    const { client } = make();
    await client.addedToCart({ ...scarf, quantity: 1 }, cart);
    await client.addedToCart({ id: 'p-3', name: 'Sock', price: '0.10', quantity: '3' } as never);
    await waitForEvents(2);
    const [withCart, alone] = klaviyo.events().map((r) => r.body.data.attributes);
    expect(withCart.value).toBe(118.5);
    expect(alone.value).toBe(0.3);
    expect(alone.properties.AddedItemQuantity).toBe(3);
    expect(alone.properties.Items).toEqual([
      { ProductID: 'p-3', ProductName: 'Sock', Quantity: 3, ItemPrice: 0.1, RowTotal: 0.3 },
    ]);
    expect(alone.value_currency).toBeUndefined();
  });

  it('startedCheckout sends the cart with Categories and unique_id = cart id + "_" + unix seconds', async () => {
    const { client, clock } = make();
    clock.advance(1234);
    const seconds = Math.floor(clock.now() / 1000);
    const result = await client.startedCheckout(cart);
    await waitForEvents(1);
    const attributes = attributesOf('Started Checkout');
    expect(attributes.unique_id).toBe(`cart-7_${seconds}`);
    expect(result.ok && result.uniqueId).toBe(`cart-7_${seconds}`);
    expect(attributes.value).toBe(118.5);
    expect(attributes.value_currency).toBe('EUR');
    expect(attributes.properties).toEqual({
      ItemNames: ['Linen Shirt', 'Wool Scarf'],
      CheckoutURL: 'https://shop.example/checkout/cart-7',
      Categories: ['Shirts', 'Summer', 'Accessories'],
      Items: [shirtItem, scarfItem],
    });
  });

  it('startedCheckout of the same cart later is a new event, not a duplicate', async () => {
    const { client, clock } = make();
    const first = await client.startedCheckout(cart);
    clock.advance(5 * MINUTE);
    const second = await client.startedCheckout(cart);
    await waitForEvents(2);
    expect(new Set(klaviyo.uniqueIds()).size).toBe(2);
    expect(first.ok && second.ok && first.uniqueId !== second.uniqueId).toBe(true);
  });

  it('placedOrder sends Placed Order with the order id as unique_id and one Ordered Product per line', async () => {
    const { client } = make({ delivery: { concurrency: 1 } });
    const results = await client.placedOrder({
      ...cart,
      id: 'ord-1001',
      total: 108.5,
      lines: [
        { ...shirt, quantity: 2, lineId: 'L-a' },
        { ...scarf, quantity: 1 },
      ],
      discountCode: 'SUMMER10',
      discountValue: '10.00' as never,
      billingAddress: address,
      shippingAddress: { ...address, address1: 'Side St 2' },
    });
    expect(results.map((r) => r.ok && r.uniqueId)).toEqual(['ord-1001', 'ord-1001:L-a', 'ord-1001:2']);
    await waitForEvents(3);
    expect(klaviyo.metrics()).toEqual(['Placed Order', 'Ordered Product', 'Ordered Product']);

    const placed = attributesOf('Placed Order');
    expect(placed.unique_id).toBe('ord-1001');
    expect(placed.value).toBe(108.5);
    expect(placed.value_currency).toBe('EUR');
    expect(placed.properties).toEqual({
      OrderId: 'ord-1001',
      Categories: ['Shirts', 'Summer', 'Accessories'],
      ItemNames: ['Linen Shirt', 'Wool Scarf'],
      Brands: ['Wiz', 'Knitworks'],
      DiscountCode: 'SUMMER10',
      DiscountValue: 10,
      // Order items name categories and brand as Ordered Product does, not as cart items.
      Items: [orderItem(shirtItem, 'Wiz'), orderItem(scarfItem, 'Knitworks')],
      BillingAddress: {
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Address1: 'Main St 1',
        City: 'Berlin',
        Zip: '10115',
        Country: 'Germany',
        CountryCode: 'DE',
      },
      ShippingAddress: {
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Address1: 'Side St 2',
        City: 'Berlin',
        Zip: '10115',
        Country: 'Germany',
        CountryCode: 'DE',
      },
    });

    const [shirtLine, scarfLine] = klaviyo
      .events()
      .slice(1)
      .map((r) => r.body.data.attributes);
    expect(shirtLine.unique_id).toBe('ord-1001:L-a');
    expect(shirtLine.value).toBe(98);
    expect(shirtLine.value_currency).toBe('EUR');
    expect(shirtLine.properties).toEqual({
      OrderId: 'ord-1001',
      ProductID: 'p-1',
      SKU: 'LS-M-BLUE',
      ProductName: 'Linen Shirt',
      Quantity: 2,
      ProductURL: 'https://shop.example/products/linen-shirt',
      ImageURL: 'https://cdn.example/linen-shirt.jpg',
      Categories: ['Shirts', 'Summer'],
      ProductBrand: 'Wiz',
    });
    expect(scarfLine.unique_id).toBe('ord-1001:2');
    expect(scarfLine.value).toBe(20.5);
    expect(scarfLine.properties).toMatchObject({ OrderId: 'ord-1001', ProductID: 'p-2', ProductBrand: 'Knitworks' });
  });

  it('placedOrder sent twice keeps the same unique_ids, so Klaviyo keeps one copy', async () => {
    const { client } = make();
    const order = { id: 'ord-1', total: 49, lines: [{ ...shirt, quantity: 1 }] };
    await client.placedOrder(order);
    await client.placedOrder(order);
    await waitForEvents(4);
    expect(klaviyo.uniqueIds().sort()).toEqual(['ord-1', 'ord-1', 'ord-1:1', 'ord-1:1']);
  });

  it('searchedSite sends the trimmed term and the result count', async () => {
    const { client } = make();
    await client.searchedSite('  linen shirt ', '12' as never);
    await waitForEvents(1);
    expect(attributesOf('Searched Site').properties).toEqual({ SearchTerm: 'linen shirt', ReturnedResults: 12 });
  });

  it('searchedSite without a result count sends the term alone', async () => {
    const { client } = make();
    await client.searchedSite('linen');
    await waitForEvents(1);
    expect(attributesOf('Searched Site').properties).toEqual({ SearchTerm: 'linen' });
  });
});

describe('helpers refuse bad input without throwing', () => {
  const cases: Array<[string, (c: ReturnType<typeof make>['client']) => Promise<unknown>]> = [
    ['a product without an id', (c) => c.viewedProduct({ name: 'Linen Shirt' } as never)],
    ['a product without a name', (c) => c.viewedProduct({ id: 'p-1' } as never)],
    ['a product that is not an object', (c) => c.viewedProduct(null as never)],
    ['an added item without an id', (c) => c.addedToCart({ name: 'Linen Shirt', quantity: 1 } as never)],
    ['an added item with quantity 0', (c) => c.addedToCart({ ...shirt, quantity: 0 })],
    ['a cart without lines', (c) => c.addedToCart({ ...shirt, quantity: 1 }, { id: 'c' } as never)],
    ['a checkout cart without lines', (c) => c.startedCheckout({ id: 'c' } as never)],
    ['a checkout cart with an empty lines array', (c) => c.startedCheckout({ id: 'c', lines: [] })],
    [
      'a checkout cart with a line without a name',
      (c) => c.startedCheckout({ lines: [{ id: 'p', quantity: 1 }] } as never),
    ],
    ['an order without an id', (c) => c.placedOrder({ total: 1, lines: [{ ...shirt, quantity: 1 }] } as never)],
    ['an order without lines', (c) => c.placedOrder({ id: 'o', total: 1 } as never)],
    ['an order with an empty lines array', (c) => c.placedOrder({ id: 'o', total: 1, lines: [] })],
    [
      'an order without a total whose lines have no price',
      (c) => c.placedOrder({ id: 'o', lines: [{ id: 'p', name: 'n', quantity: 1 }] } as never),
    ],
    ['an empty search term', (c) => c.searchedSite('   ')],
    ['a search term that is not a string', (c) => c.searchedSite(42 as never)],
  ];
  for (const [what, call] of cases) {
    it(`refuses ${what} with invalid_properties and sends nothing`, async () => {
      const { client, codes } = make();
      const outcome = await call(client);
      const results = (Array.isArray(outcome) ? outcome : [outcome]) as Array<{
        ok: boolean;
        error?: { code: string };
      }>;
      expect(results).toHaveLength(1);
      expect(results[0].ok).toBe(false);
      expect(results[0].error?.code).toBe('invalid_properties');
      expect(codes()).toEqual(['invalid_properties']);
      await client.flush();
      expect(klaviyo.received).toEqual([]);
      expect((await client.status()).queued).toBe(0);
    });
  }
});

describe('track() with the standard names', () => {
  const standard: Array<
    [string, Record<string, unknown>, { value?: number; valueCurrency?: string; uniqueId?: string }]
  > = [
    ['Viewed Product', { ProductName: 'Linen Shirt', ProductID: 'p-1', Price: 49 }, { value: 49 }],
    [
      'Added to Cart',
      { AddedItemProductName: 'Linen Shirt', ItemNames: ['Linen Shirt'], Items: [shirtItem] },
      { value: 98, valueCurrency: 'eur' },
    ],
    [
      'Started Checkout',
      { ItemNames: ['Linen Shirt'], CheckoutURL: 'https://shop.example/checkout' },
      { value: 98, uniqueId: 'cart-7_1' },
    ],
    [
      'Placed Order',
      { OrderId: 'ord-1', ItemNames: ['Linen Shirt'] },
      { value: 98, valueCurrency: 'EUR', uniqueId: 'ord-1' },
    ],
    ['Ordered Product', { OrderId: 'ord-1', ProductID: 'p-1', Quantity: 2 }, { value: 98, uniqueId: 'ord-1:1' }],
    ['Searched Site', { SearchTerm: 'linen', ReturnedResults: 3 }, {}],
    ['Logged In', {}, {}],
    ['Active on Site', { URL: 'https://shop.example/' }, {}],
  ];
  for (const [metric, properties, options] of standard) {
    it(`sends ${metric} with the given properties, value, currency and unique_id`, async () => {
      const { client } = make();
      const result = await client.track(metric, properties, options);
      expect(result.ok).toBe(true);
      await waitForEvents(1);
      const attributes = attributesOf(metric);
      expect(attributes.properties).toEqual(properties);
      expect(attributes.value).toBe(options.value);
      expect(attributes.value_currency).toBe(options.valueCurrency?.toUpperCase());
      expect(attributes.unique_id).toBe(options.uniqueId ?? (result.ok && result.uniqueId));
    });
  }

  it('sends a name that happens to be an Object.prototype key as that name', async () => {
    const { client } = make({ eventNames: { 'Searched Site': 'Submitted Search' } });
    await client.track('constructor', { a: 1 });
    await client.track('toString');
    await waitForEvents(2);
    expect(klaviyo.metrics()).toEqual(['constructor', 'toString']);
  });
});

describe('eventNames', () => {
  it('renames an event for the typed helper and for track() alike', async () => {
    const { client } = make({ eventNames: { 'Searched Site': 'Submitted Search' }, delivery: { concurrency: 1 } });
    await client.searchedSite('linen', 3);
    await client.track('Searched Site', { SearchTerm: 'wool' });
    await client.viewedProduct(shirt);
    await waitForEvents(3);
    expect(klaviyo.metrics()).toEqual(['Submitted Search', 'Submitted Search', 'Viewed Product']);
  });

  it('renames the Ordered Product events that placedOrder queues', async () => {
    const { client } = make({
      eventNames: { 'Ordered Product': 'Order Line', 'Placed Order': 'Order Placed' },
      delivery: { concurrency: 1 },
    });
    await client.placedOrder({ id: 'ord-1', total: 49, lines: [{ ...shirt, quantity: 1 }] });
    await waitForEvents(2);
    expect(klaviyo.metrics()).toEqual(['Order Placed', 'Order Line']);
  });

  it('renames Logged In and Active on Site', async () => {
    const page = createFakePage();
    const { client } = make({
      eventNames: { 'Logged In': 'Signed In', 'Active on Site': 'Visited' },
      onsite: false,
      platform: { window: page.window },
    });
    await client.identify({ email: 'ada@example.com' }, { reason: 'login' });
    await vi.waitFor(() => expect(klaviyo.metrics().sort()).toEqual(['Signed In', 'Visited']));
  });
});

describe('staleness', () => {
  async function sendAfter(metric: string, delayMs: number, overrides: Partial<WizKlaviyoOptions> = {}) {
    const { client, clock } = make(overrides);
    klaviyo.queueAnswers(500);
    await client.track(metric, { n: 1 });
    await waitForEvents(1);
    // The 500 is answered and its retry scheduled; the event now waits offline-style for delayMs.
    await vi.waitFor(() => expect(clock.pending()).toHaveLength(1));
    clock.advance(delayMs);
    await waitForEvents(2);
    return klaviyo.events().map((r) => r.body.data.attributes);
  }

  it('sends a fresh event without backfill', async () => {
    const { client } = make();
    await client.track('Added to Cart', { n: 1 });
    await waitForEvents(1);
    expect(klaviyo.events()[0].body.data.attributes.backfill).toBeUndefined();
  });

  it('marks an Added to Cart sent two hours after it happened as backfill, keeping its true time', async () => {
    const [first, retry] = await sendAfter('Added to Cart', 2 * HOUR);
    expect(first.backfill).toBeUndefined();
    expect(retry.backfill).toBe(true);
    expect(retry.time).toBe(first.time);
    expect(retry.unique_id).toBe(first.unique_id);
  });

  it('marks a Started Checkout older than an hour as backfill', async () => {
    const [, retry] = await sendAfter('Started Checkout', HOUR + MINUTE);
    expect(retry.backfill).toBe(true);
  });

  it('does not mark a Viewed Product two hours old as backfill, since its threshold is a day', async () => {
    const [, retry] = await sendAfter('Viewed Product', 2 * HOUR);
    expect(retry.backfill).toBeUndefined();
  });

  it('marks a Viewed Product older than a day as backfill', async () => {
    const [, retry] = await sendAfter('Viewed Product', 25 * HOUR);
    expect(retry.backfill).toBe(true);
  });

  it('follows staleAfterMs when it overrides the thresholds', async () => {
    const [, retry] = await sendAfter('Viewed Product', 10 * MINUTE, {
      staleAfterMs: { 'Viewed Product': 5 * MINUTE },
    });
    expect(retry.backfill).toBe(true);
  });

  it('keeps the one-hour threshold for Added to Cart when it is renamed', async () => {
    const [, retry] = await sendAfter('Added to Cart', 2 * HOUR, { eventNames: { 'Added to Cart': 'Add To Cart' } });
    expect(retry.metric.data.attributes.name).toBe('Add To Cart');
    expect(retry.backfill).toBe(true);
  });
});

describe('Active on Site', () => {
  const activeOnSite = () =>
    klaviyo.events().filter((r) => r.body.data.attributes.metric.data.attributes.name === 'Active on Site');

  it('is sent with the page URL when klaviyo.js is turned off and a page exists', async () => {
    const page = createFakePage('https://shop.example/collections/summer?page=2');
    const { client } = make({ onsite: false, platform: { window: page.window } });
    await vi.waitFor(() => expect(activeOnSite()).toHaveLength(1));
    expect(activeOnSite()[0].body.data.attributes.properties).toEqual({
      URL: 'https://shop.example/collections/summer?page=2',
    });
    expect((await client.status()).klaviyoJs).toBe('off');
  });

  it('is sent when klaviyo.js is blocked, which is also reported as onsite_blocked', async () => {
    const page = createFakePage();
    const { client, codes } = make({ platform: { window: page.window } });
    expect((await client.status()).klaviyoJs).toBe('loading');
    page.scripts()[0].dispatchEvent(new Event('error'));
    await vi.waitFor(() => expect(activeOnSite()).toHaveLength(1));
    expect((await client.status()).klaviyoJs).toBe('blocked');
    expect(codes()).toContain('onsite_blocked');
  });

  it('is not sent when klaviyo.js loads, since klaviyo.js sends its own', async () => {
    const page = createFakePage();
    const { client } = make({ platform: { window: page.window } });
    await vi.waitFor(() => expect(page.scripts()).toHaveLength(1)); // once the stored consent decision is read
    page.scripts()[0].dispatchEvent(new Event('load'));
    expect((await client.status()).klaviyoJs).toBe('loaded');
    await client.track('Viewed Product', { n: 1 });
    await waitForEvents(1);
    await client.flush();
    expect(activeOnSite()).toEqual([]);
  });

  it('is not sent without a page (no window)', async () => {
    const { client } = make({ onsite: false });
    await client.track('Viewed Product', { n: 1 });
    await waitForEvents(1);
    await client.flush();
    expect(activeOnSite()).toEqual([]);
  });

  it('is sent at most once per 30 minutes across page loads', async () => {
    const world = { clock: createManualClock(), locks: createLocks() };
    const page = () => ({ onsite: false, platform: { window: createFakePage().window } });
    const first = make(page(), world);
    await vi.waitFor(() => expect(activeOnSite()).toHaveLength(1));
    first.client.destroy();

    world.clock.advance(29 * MINUTE);
    const second = make(page(), world);
    await second.client.track('Viewed Product', { n: 1 });
    await vi.waitFor(() => expect(klaviyo.metrics()).toContain('Viewed Product'));
    await second.client.flush();
    expect(activeOnSite()).toHaveLength(1);
    second.client.destroy();

    world.clock.advance(2 * MINUTE);
    make(page(), world);
    await vi.waitFor(() => expect(activeOnSite()).toHaveLength(2));
  });

  it("is held like any guest event when guestEvents is 'hold'", async () => {
    const page = createFakePage();
    const { client } = make({ guestEvents: 'hold', onsite: false, platform: { window: page.window } });
    await vi.waitFor(async () => expect((await client.status()).held).toBe(1));
    await client.identify({ email: 'ada@example.com' });
    await vi.waitFor(() => expect(activeOnSite()).toHaveLength(1));
    expect(activeOnSite()[0].body.data.attributes.profile.data.attributes.email).toBe('ada@example.com');
  });
});
