import { describe, expect, it } from 'vitest';
import * as catalog from '../../src/events/catalog';
import { codeOf } from '../support/codes';

const line = (overrides: Record<string, unknown> = {}) => ({
  id: 'p-1',
  name: 'Linen Shirt',
  price: 49,
  quantity: 1,
  ...overrides,
});

describe('catalog builders', () => {
  it('leave out fields the storefront did not give rather than sending undefined', () => {
    const event = catalog.viewedProduct({ id: 'p-1', name: 'Linen Shirt', sku: '', brand: '  ', url: undefined });
    expect(event.properties).toEqual({ ProductName: 'Linen Shirt', ProductID: 'p-1' });
    expect(event.options).toEqual({});
  });

  it('keep only string categories', () => {
    const event = catalog.viewedProduct({ id: 'p-1', name: 'Linen Shirt', categories: ['Shirts', 7, null, 'Summer'] });
    expect(event.properties.Categories).toEqual(['Shirts', 'Summer']);
  });

  it('round row totals and cart totals to cents', () => {
    const event = catalog.addedToCart(line({ price: 0.1, quantity: 3 }), {
      lines: [line({ price: 0.1, quantity: 3 }), line({ id: 'p-2', price: 0.2, quantity: 1 })],
    });
    expect((event.properties.Items as Array<{ RowTotal: number }>).map((i) => i.RowTotal)).toEqual([0.3, 0.2]);
    expect(event.options.value).toBe(0.5);
  });

  it('send no value when a line has no price and the cart no total', () => {
    const event = catalog.addedToCart(line(), { lines: [line(), line({ id: 'p-2', price: undefined })] });
    expect(event.options.value).toBeUndefined();
  });

  it('default a missing or unreadable quantity to 1 and read "2" as 2', () => {
    expect(catalog.addedToCart({ id: 'p-1', name: 'n' }, undefined).properties.AddedItemQuantity).toBe(1);
    expect(catalog.addedToCart({ id: 'p-1', name: 'n', quantity: 'two' }, undefined).properties.AddedItemQuantity).toBe(
      1,
    );
    expect(catalog.addedToCart({ id: 'p-1', name: 'n', quantity: '2' }, undefined).properties.AddedItemQuantity).toBe(
      2,
    );
  });

  it('give Started Checkout a unique_id only when the cart has an id', () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 0, 999);
    expect(catalog.startedCheckout({ id: 'c-1', lines: [line()] }, now).options.uniqueId).toBe(
      `c-1_${Math.floor(now / 1000)}`,
    );
    expect(catalog.startedCheckout({ lines: [line()] }, now).options.uniqueId).toBeUndefined();
  });

  it('number Ordered Product lines from 1 where they have no lineId, and use a numeric lineId as given', () => {
    const events = catalog.placedOrder({ id: 'o-1', lines: [line(), line({ lineId: 77 }), line()] });
    expect(events.map((e) => [e.event, e.options.uniqueId])).toEqual([
      ['Placed Order', 'o-1'],
      ['Ordered Product', 'o-1:1'],
      ['Ordered Product', 'o-1:77'],
      ['Ordered Product', 'o-1:3'],
    ]);
  });

  it('derive the order total from the lines when it is missing', () => {
    const [placed] = catalog.placedOrder({
      id: 'o-1',
      lines: [line({ quantity: 2 }), line({ id: 'p-2', price: '1.50' })],
    });
    expect(placed.options.value).toBe(99.5);
  });

  it('list each category and brand of an order once', () => {
    const [placed] = catalog.placedOrder({
      id: 'o-1',
      total: 1,
      lines: [
        line({ categories: ['A', 'B'], brand: 'X' }),
        line({ categories: ['B', 'C'], brand: 'X' }),
        line({ brand: 'Y' }),
      ],
    });
    expect(placed.properties.Categories).toEqual(['A', 'B', 'C']);
    expect(placed.properties.Brands).toEqual(['X', 'Y']);
  });

  it("name item categories as Klaviyo's guide does per event: ProductCategories in carts, Categories and Brand in orders", () => {
    const shirt = line({ categories: ['Shirts'], brand: 'Wiz' });
    const cartItems = [
      catalog.addedToCart(shirt, { lines: [shirt] }).properties.Items,
      catalog.startedCheckout({ lines: [shirt] }, 0).properties.Items,
    ];
    for (const [item] of cartItems as Array<Array<Record<string, unknown>>>) {
      expect(item).toMatchObject({ ProductID: 'p-1', ProductCategories: ['Shirts'] });
      expect(item).not.toHaveProperty('Categories');
      expect(item).not.toHaveProperty('Brand');
    }
    const [placed] = catalog.placedOrder({ id: 'o-1', lines: [shirt] });
    expect(placed.properties.Items).toEqual([
      {
        ProductID: 'p-1',
        ProductName: 'Linen Shirt',
        Quantity: 1,
        ItemPrice: 49,
        RowTotal: 49,
        Categories: ['Shirts'],
        Brand: 'Wiz',
      },
    ]);
  });

  it('keep only the string fields of an address', () => {
    const [placed] = catalog.placedOrder({
      id: 'o-1',
      total: 1,
      lines: [line()],
      billingAddress: { city: 'Berlin', zip: 10115 },
    });
    expect(placed.properties.BillingAddress).toEqual({ City: 'Berlin' });
  });

  const refusals: Array<[string, () => unknown]> = [
    ['a product id that is only spaces', () => catalog.viewedProduct({ id: '  ', name: 'n' })],
    ['a product name that is not a string', () => catalog.viewedProduct({ id: 'p', name: 5 })],
    ['an array as product', () => catalog.viewedProduct([{ id: 'p', name: 'n' }])],
    ['a negative quantity', () => catalog.addedToCart(line({ quantity: -1 }), undefined)],
    ['a cart whose lines is not an array', () => catalog.startedCheckout({ lines: {} }, 0)],
    ['an empty cart', () => catalog.startedCheckout({ lines: [] }, 0)],
    ['an order with an empty id', () => catalog.placedOrder({ id: '', total: 1, lines: [line()] })],
  ];
  for (const [what, build] of refusals) {
    it(`refuse ${what} with invalid_properties`, () => expect(codeOf(build)).toBe('invalid_properties'));
  }
});

describe('value_currency from the product', () => {
  it('gives Viewed Product and Added to Cart the currency the product price is in', () => {
    const { viewedProduct, addedToCart } = catalog;
    expect(viewedProduct({ id: 'p1', name: 'Shirt', price: 49, currency: 'EUR' }).options).toEqual({
      value: 49,
      valueCurrency: 'EUR',
    });
    expect(
      addedToCart({ id: 'p1', name: 'Shirt', price: 49, currency: 'EUR', quantity: 2 }, undefined).options,
    ).toEqual({ value: 98, valueCurrency: 'EUR' });
    // The cart's own currency wins over the item's.
    const cart = { lines: [{ id: 'p1', name: 'Shirt', price: 49, quantity: 1 }], currency: 'USD' };
    expect(
      addedToCart({ id: 'p1', name: 'Shirt', price: 49, currency: 'EUR', quantity: 1 }, cart).options.valueCurrency,
    ).toBe('USD');
  });
});

describe("klaviyo.js's Recently Viewed Items", () => {
  it('gets only web links', () => {
    const item = catalog.viewedItem({
      id: 'p1',
      name: 'Linen Shirt',
      url: 'javascript:alert(1)',
      imageUrl: 'https://cdn.example/p1.jpg',
    });
    expect(item).not.toHaveProperty('Url');
    expect(item.ImageUrl).toBe('https://cdn.example/p1.jpg');
  });
});
