import { WizKlaviyoError } from '../errors.js';
import { CURRENCY_CODE, type TrackOptions } from './event-options.js';
import { readNumber } from './numbers.js';
import type { Address, Cart, CartLine, Order, Product, StandardEvent } from './shapes.js';
import { isWebUrl, typeName } from './validate.js';

/** One event ready for track(): Klaviyo's metric name, its recommended properties and its options. */
export interface CatalogEvent {
  event: StandardEvent;
  properties: Record<string, unknown>;
  options: TrackOptions;
}

type Props = Record<string, unknown>;

/** Viewed Product with the properties Klaviyo's browse-abandonment flow and product feeds read. */
export function viewedProduct(input: unknown): CatalogEvent {
  const p = readProduct(input, 'product');
  return {
    event: 'Viewed Product',
    properties: compact({
      ProductName: p.name,
      ProductID: p.id,
      SKU: p.sku,
      Categories: p.categories,
      ImageURL: p.imageUrl,
      URL: p.url,
      Brand: p.brand,
      Price: p.price,
      CompareAtPrice: p.compareAtPrice,
    }),
    options: compact({ value: p.price, valueCurrency: p.currency }),
  };
}

/** The object klaviyo.js's trackViewedItem() takes, for the Recently Viewed Items feed; read like viewedProduct's. */
export function viewedItem(input: unknown): Props {
  const p = readProduct(input, 'product');
  return compact({
    Title: p.name,
    ItemId: p.id,
    Categories: p.categories,
    // klaviyo.js shows these in Recently Viewed Items: only web links (track() drops the others with a report).
    ImageUrl: p.imageUrl && isWebUrl(p.imageUrl) ? p.imageUrl : undefined,
    Url: p.url && isWebUrl(p.url) ? p.url : undefined,
    Metadata: compact({ Brand: p.brand, Price: p.price, CompareAtPrice: p.compareAtPrice }),
  });
}

/** Added to Cart: the added item, plus the whole cart so the abandoned-cart flow can show it. */
export function addedToCart(itemInput: unknown, cartInput: unknown): CatalogEvent {
  const item = readLine(itemInput, 'item');
  const cart = cartInput === undefined ? { lines: [item] } : readCart(cartInput, 'cart');
  return {
    event: 'Added to Cart',
    properties: compact({
      AddedItemProductName: item.name,
      AddedItemProductID: item.id,
      AddedItemSKU: item.sku,
      AddedItemCategories: item.categories,
      AddedItemImageURL: item.imageUrl,
      AddedItemURL: item.url,
      AddedItemPrice: item.price,
      AddedItemQuantity: item.quantity,
      ...cartProperties(cart),
    }),
    options: compact({ value: cartTotal(cart), valueCurrency: cart.currency ?? item.currency }),
  };
}

/** Started Checkout; unique_id is the cart id plus the time, so one cart can start checkout again later. */
export function startedCheckout(cartInput: unknown, now: number): CatalogEvent {
  const cart = readCart(cartInput, 'cart');
  return {
    event: 'Started Checkout',
    properties: compact({ ...cartProperties(cart), Categories: unionOf(cart.lines, (l) => l.categories) }),
    options: compact({
      value: cartTotal(cart),
      valueCurrency: cart.currency,
      uniqueId: cart.id ? `${cart.id}_${Math.floor(now / 1000)}` : undefined,
    }),
  };
}

/** Placed Order (unique_id = order id) and one Ordered Product per line (unique_id = orderId:lineId). */
export function placedOrder(input: unknown): CatalogEvent[] {
  const order = readOrder(input);
  const placed: CatalogEvent = {
    event: 'Placed Order',
    properties: compact({
      OrderId: order.id,
      Categories: unionOf(order.lines, (l) => l.categories),
      ItemNames: order.lines.map((l) => l.name),
      Brands: unionOf(order.lines, (l) => (l.brand ? [l.brand] : undefined)),
      DiscountCode: order.discountCode,
      DiscountValue: order.discountValue,
      Items: order.lines.map(orderItemProperties),
      BillingAddress: order.billingAddress && addressProperties(order.billingAddress),
      ShippingAddress: order.shippingAddress && addressProperties(order.shippingAddress),
    }),
    options: compact({ value: order.total, valueCurrency: order.currency, uniqueId: order.id }),
  };
  const lines = order.lines.map((line, index): CatalogEvent => ({
    event: 'Ordered Product',
    properties: compact({
      OrderId: order.id,
      ProductID: line.id,
      SKU: line.sku,
      ProductName: line.name,
      Quantity: line.quantity,
      ProductURL: line.url,
      ImageURL: line.imageUrl,
      Categories: line.categories,
      ProductBrand: line.brand,
    }),
    options: compact({
      value: rowTotal(line),
      valueCurrency: order.currency,
      uniqueId: `${order.id}:${line.lineId ?? index + 1}`,
    }),
  }));
  return [placed, ...lines];
}

export function searchedSite(term: unknown, resultCount?: unknown): CatalogEvent {
  if (typeof term !== 'string' || term.trim() === '') throw invalid('search term', 'text', typeName(term));
  return {
    event: 'Searched Site',
    properties: compact({ SearchTerm: term.trim(), ReturnedResults: readNumber(resultCount) }),
    options: {},
  };
}

function cartProperties(cart: Cart): Props {
  return {
    ItemNames: cart.lines.map((l) => l.name),
    CheckoutURL: cart.checkoutUrl,
    Items: cart.lines.map(cartItemProperties),
  };
}

/**
 * Klaviyo's integration guide names an item's categories per event: `ProductCategories` in Added to Cart and Started
 * Checkout items, `Categories` and `Brand` in Placed Order items (as in Ordered Product).
 * https://developers.klaviyo.com/en/docs/guide_to_integrating_a_platform_without_a_pre_built_klaviyo_integration
 */
function cartItemProperties(line: CartLine): Props {
  return compact({ ...itemProperties(line), ProductCategories: line.categories });
}

function orderItemProperties(line: CartLine): Props {
  return compact({ ...itemProperties(line), Categories: line.categories, Brand: line.brand });
}

/** The fields every Items[] entry shares. */
function itemProperties(line: CartLine): Props {
  return {
    ProductID: line.id,
    SKU: line.sku,
    ProductName: line.name,
    Quantity: line.quantity,
    ItemPrice: line.price,
    RowTotal: rowTotal(line),
    ProductURL: line.url,
    ImageURL: line.imageUrl,
  };
}

function addressProperties(a: Address): Props {
  return compact({
    FirstName: a.firstName,
    LastName: a.lastName,
    Company: a.company,
    Address1: a.address1,
    Address2: a.address2,
    City: a.city,
    Region: a.region,
    RegionCode: a.regionCode,
    Country: a.country,
    CountryCode: a.countryCode,
    Zip: a.zip,
    Phone: a.phone,
  });
}

function rowTotal(line: CartLine): number | undefined {
  return line.price === undefined ? undefined : round2(line.price * line.quantity);
}

function cartTotal(cart: Cart): number | undefined {
  if (cart.total !== undefined) return cart.total;
  const rows = cart.lines.map(rowTotal);
  return rows.every((r) => r !== undefined) ? round2(rows.reduce<number>((sum, r) => sum + (r ?? 0), 0)) : undefined;
}

function unionOf(lines: CartLine[], pick: (line: CartLine) => string[] | undefined): string[] {
  return [...new Set(lines.flatMap((line) => pick(line) ?? []))];
}

// ---- reading storefront input: required fields refuse, optional ones are repaired or left out ----

function readProduct(input: unknown, what: string): Product {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw invalid(what, 'object', typeName(input));
  const o = input as Record<string, unknown>;
  const id = o.id === undefined || o.id === null ? '' : String(o.id).trim();
  if (!id) throw invalid(`${what}.id`, 'required');
  if (typeof o.name !== 'string' || o.name.trim() === '') throw invalid(`${what}.name`, 'required');
  return compact({
    id,
    name: o.name.trim(),
    sku: optionalString(o.sku),
    variantId: optionalString(o.variantId),
    price: readNumber(o.price),
    compareAtPrice: readNumber(o.compareAtPrice),
    url: optionalString(o.url),
    imageUrl: optionalString(o.imageUrl),
    categories: Array.isArray(o.categories)
      ? o.categories.filter((c): c is string => typeof c === 'string')
      : undefined,
    brand: optionalString(o.brand),
    currency: currencyCode(o.currency),
  }) as Product;
}

function readLine(input: unknown, what: string): CartLine {
  const product = readProduct(input, what);
  const o = input as Record<string, unknown>;
  const quantity = readNumber(o.quantity) ?? 1;
  if (!(quantity > 0)) throw invalid(`${what}.quantity`, 'positive');
  return compact({ ...product, quantity, lineId: optionalString(o.lineId) }) as CartLine;
}

function readCart(input: unknown, what: string): Cart {
  if (!input || typeof input !== 'object' || !Array.isArray((input as Cart).lines)) {
    throw invalid(what, 'lines');
  }
  if ((input as Cart).lines.length === 0) throw invalid(`${what}.lines`, 'one_line');
  const o = input as unknown as Record<string, unknown>;
  return compact({
    id: o.id === undefined || o.id === null ? undefined : String(o.id),
    lines: (o.lines as unknown[]).map((line, i) => readLine(line, `${what}.lines[${i}]`)),
    total: readNumber(o.total),
    currency: currencyCode(o.currency),
    checkoutUrl: optionalString(o.checkoutUrl),
  }) as Cart;
}

function readOrder(input: unknown): Order {
  const cart = readCart(input, 'order');
  const o = input as Record<string, unknown>;
  if (cart.id === undefined || cart.id === '') throw invalid('order.id', 'required');
  const total = cart.total ?? cartTotal(cart);
  if (total === undefined) throw invalid('order.total', 'priced');
  return compact({
    ...cart,
    id: cart.id,
    total,
    discountCode: optionalString(o.discountCode),
    discountValue: readNumber(o.discountValue),
    billingAddress: readAddress(o.billingAddress),
    shippingAddress: readAddress(o.shippingAddress),
  }) as Order;
}

function readAddress(input: unknown): Address | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) if (typeof value === 'string') out[key] = value;
  return out;
}

/** An optional field: a currency that is not an ISO 4217 code is left out, so the event is not refused for it. */
function currencyCode(value: unknown): string | undefined {
  return typeof value === 'string' && CURRENCY_CODE.test(value.trim()) ? value.trim().toUpperCase() : undefined;
}

function optionalString(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Leaves out undefined fields, so Klaviyo only sees what the storefront knows. */
function compact<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

/** A helper's input refused: which field, which rule it broke, and what it got when that helps. */
function invalid(field: string, rule: string, got?: string): WizKlaviyoError {
  return new WizKlaviyoError('invalid_properties', got === undefined ? { field, rule } : { field, rule, got });
}
