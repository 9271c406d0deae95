import { WizKlaviyoError } from '../errors.js';
import { readNumber } from '../events/numbers.js';
import type { Product } from '../events/shapes.js';

/**
 * Reads the JSON a `data-wk-*` element carries: the attribute value, or, where the attribute is empty, the element's
 * text (`<script type="application/json" data-wk-order>`). Malformed JSON is an error the caller reports.
 */
export function readJsonData(element: Element, attribute: string): unknown {
  const raw = (element.getAttribute(attribute)?.trim() || element.textContent || '').trim();
  try {
    return JSON.parse(raw);
  } catch {
    throw new WizKlaviyoError('invalid_markup', { attribute, rule: 'json' });
  }
}

/**
 * Product JSON from a `data-wk-*` element: it must be an object with an id and a name, else it is malformed markup
 * (reported as invalid_markup, and never remembered in the cart).
 */
export function readProductData(element: Element, attribute: string): Product {
  const data = readJsonData(element, attribute) as Record<string, unknown> | null;
  const object = data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  if (!text(object.id) || !text(object.name)) {
    throw new WizKlaviyoError('invalid_markup', { attribute, rule: 'product' });
  }
  return object as unknown as Product;
}

type JsonLd = Record<string, unknown>;

/** Every schema.org Product in the page's JSON-LD blocks, mapped to the SDK's Product shape. */
export function productsFromJsonLd(root: ParentNode, report: (error: WizKlaviyoError) => void): Product[] {
  const products: Product[] = [];
  for (const script of Array.from(root.querySelectorAll('script[type="application/ld+json"]'))) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent || '');
    } catch {
      report(new WizKlaviyoError('invalid_markup', { rule: 'json_ld' }));
      continue;
    }
    for (const node of flatten(data)) {
      const product = isProduct(node) ? fromSchemaOrg(node) : undefined;
      if (product) products.push(product);
    }
  }
  return products;
}

function flatten(data: unknown): JsonLd[] {
  if (Array.isArray(data)) return data.flatMap(flatten);
  if (!data || typeof data !== 'object') return [];
  const node = data as JsonLd;
  // A product page may describe itself as a WebPage whose mainEntity is the Product.
  return [node, ...flatten(node['@graph']), ...flatten(node.mainEntity)];
}

function isProduct(node: JsonLd): boolean {
  const type = node['@type'];
  return type === 'Product' || (Array.isArray(type) && type.includes('Product'));
}

function fromSchemaOrg(node: JsonLd): Product | undefined {
  const id = text(node.productID) ?? text(node.sku) ?? text(node['@id']) ?? text(node.url);
  const name = text(node.name);
  if (!id || !name) return undefined;
  const offer = first(node.offers) as JsonLd | undefined;
  const brand = node.brand && typeof node.brand === 'object' ? text((node.brand as JsonLd).name) : text(node.brand);
  const image = first(node.image);
  const category = text(node.category);
  return {
    id,
    name,
    sku: text(node.sku),
    price: readNumber(offer?.price) ?? readNumber(offer?.lowPrice),
    url: text(node.url) ?? text(offer?.url),
    imageUrl: image && typeof image === 'object' ? text((image as JsonLd).url) : text(image),
    categories: category ? category.split(/\s*>\s*/) : undefined,
    brand,
    currency: text(offer?.priceCurrency),
  };
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * Storefront markup often carries root-relative links ("/products/p1"); Klaviyo's emails need absolute ones.
 * `pageUrl` fills a missing url (the product page itself).
 */
export function absoluteUrls<T extends { url?: string; imageUrl?: string }>(
  item: T,
  base: string,
  pageUrl?: string,
): T {
  const resolve = (value: string | undefined) => {
    if (typeof value !== 'string' || value === '') return value;
    try {
      return new URL(value, base).href;
    } catch {
      return value;
    }
  };
  const url = resolve(item.url) ?? pageUrl;
  const imageUrl = resolve(item.imageUrl);
  return { ...item, ...(url === undefined ? {} : { url }), ...(imageUrl === undefined ? {} : { imageUrl }) };
}

/** The same for every line of a cart or an order. */
export function absoluteLineUrls<T extends { lines?: unknown }>(cart: T, base: string): T {
  if (!Array.isArray(cart?.lines)) return cart;
  return {
    ...cart,
    lines: cart.lines.map((line) => (line && typeof line === 'object' ? absoluteUrls(line, base) : line)),
  };
}
