// The Liquid recipes (examples/recipes/liquid) filled from fixture objects, then read back by the SDK's own markup
// readers: what a server-rendered theme writes is what auto-tracking reads. The tiny renderer below knows only what
// the recipes use ({{ path | json | escape }}, {% for %}, {% unless forloop.last %}, {% comment %}) and throws on
// anything else, so a recipe cannot drift into syntax this test does not check.
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { readJsonData, readProductData } from '../../src/autotrack/markup.js';

type Scope = Record<string, unknown>;

const lookup = (scope: Scope, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], scope);

const filters: Record<string, (value: unknown) => string> = {
  // Liquid's json: nil is null; `<` as \u003c keeps a "</script>" in a name inside the JSON block.
  json: (value) => JSON.stringify(value ?? null).replace(/</g, '\\u003c'),
  escape: (value) =>
    String(value ?? '').replace(
      /[&<>"']/g,
      (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
    ),
};

function render(template: string, scope: Scope): string {
  const out = template
    .replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g, '')
    .replace(
      /\{%-?\s*for (\w+) in ([\w.]+)\s*-?%\}([\s\S]*?)\{%-?\s*endfor\s*-?%\}/g,
      (_all, name: string, path: string, body: string) => {
        const items = lookup(scope, path) as unknown[];
        return items
          .map((item, i) => render(body, { ...scope, [name]: item, forloop: { last: i === items.length - 1 } }))
          .join('');
      },
    )
    .replace(
      /\{%-?\s*unless ([\w.]+)\s*-?%\}([\s\S]*?)\{%-?\s*endunless\s*-?%\}/g,
      (_all, path: string, body: string) => (lookup(scope, path) ? '' : body),
    )
    .replace(/\{\{-?\s*([\w.]+)((?:\s*\|\s*\w+)*)\s*-?\}\}/g, (_all, path: string, chain: string) => {
      const names = chain
        .split('|')
        .map((name) => name.trim())
        .filter(Boolean);
      return names.reduce<unknown>(
        (value, name) => {
          const filter = filters[name];
          if (!filter) throw new Error(`filter ${name} is not one the recipe test knows`);
          return filter(value);
        },
        lookup(scope, path),
      ) as string;
    });
  if (/\{\{|\{%/.test(out)) throw new Error(`Liquid the recipe test does not know: ${out.match(/\{[{%].*/)?.[0]}`);
  return out;
}

function page(file: string, scope: Scope): Document {
  const html = render(readFileSync(new URL(`../../examples/recipes/liquid/${file}`, import.meta.url), 'utf8'), scope);
  const window = new Window({ url: 'https://shop.example/' });
  return new window.DOMParser().parseFromString(
    `<!doctype html><html><body>${html}</body></html>`,
    'text/html',
  ) as unknown as Document;
}

const shop = { currency: 'EUR', handle: 'acme-eu' };
// A name with a quote, an ampersand and a "</script>": none may end the attribute or the JSON block early.
const product = {
  id: 'p1',
  title: `Ada's "Linen" Shirt & Tie </script><b>`,
  sku: 'LS-M',
  price: 49.5,
  compare_at_price: null,
  url: '/products/linen-shirt',
  image_url: 'https://cdn.example/p1.jpg',
  vendor: 'Acme',
  collections: ['Shirts', 'Linen'],
};
const line = (id: string, title: string, price: number, quantity: number) => ({
  product_id: id,
  key: `${id}:1`,
  id: `${id}-line`,
  title,
  sku: `${id}-sku`,
  price,
  quantity,
  url: `/products/${id}`,
  image_url: null,
  vendor: 'Acme',
});
const lines = [line('p1', product.title, 49.5, 2), line('p2', 'Wool Scarf', 25, 1)];

describe('Liquid recipes, filled and read back by the SDK', () => {
  it('head.liquid: the stub and the script tag carry the nonce, the site key and the tenant', () => {
    const doc = page('head.liquid', {
      csp_nonce: 'n0nce',
      wiz_klaviyo_url: '/assets/wiz-klaviyo.iife.js',
      settings: { klaviyo_site_key: 'AbC123' },
      shop,
    });
    const [stub, sdk] = Array.from(doc.querySelectorAll('script'));
    expect(stub.getAttribute('nonce')).toBe('n0nce');
    expect(stub.textContent).toContain('window.wizKlaviyo = window.wizKlaviyo || []');
    expect(sdk.getAttribute('src')).toBe('/assets/wiz-klaviyo.iife.js');
    expect(sdk.hasAttribute('async')).toBe(true);
    expect(sdk.getAttribute('nonce')).toBe('n0nce');
    expect(sdk.getAttribute('data-site-key')).toBe('AbC123');
    expect(sdk.getAttribute('data-tenant')).toBe('acme-eu');
  });

  it('product.liquid: data-wk-product and data-wk-add-to-cart read as the fixture product', () => {
    const doc = page('product.liquid', { product, shop });
    const viewed = readProductData(doc.querySelector('[data-wk-product]')!, 'data-wk-product');
    expect(viewed).toMatchObject({ id: 'p1', name: product.title, sku: 'LS-M', price: 49.5, currency: 'EUR' });
    expect(viewed).toMatchObject({ url: product.url, imageUrl: product.image_url, categories: ['Shirts', 'Linen'] });
    const added = readProductData(doc.querySelector('[data-wk-add-to-cart]')!, 'data-wk-add-to-cart');
    expect(added).toMatchObject({ id: 'p1', name: product.title, price: 49.5, currency: 'EUR', url: product.url });
    expect(doc.querySelector('h1')!.textContent).toBe(product.title);
    expect(doc.querySelector('b')).toBeNull(); // the name stayed text
    expect(doc.querySelector('input[name=quantity]')!.getAttribute('value')).toBe('1');
  });

  it('cart.liquid: data-wk-cart reads as the fixture cart, with data-wk-checkout', () => {
    const cart = { token: 'cart-9', total_price: 124, currency: 'EUR', checkout_url: '/checkout', items: lines };
    const doc = page('cart.liquid', { cart });
    const read = readJsonData(doc.querySelector('[data-wk-cart]')!, 'data-wk-cart');
    expect(read).toMatchObject({ id: 'cart-9', total: 124, currency: 'EUR', checkoutUrl: '/checkout' });
    expect(read).toMatchObject({
      lines: [
        { id: 'p1', lineId: 'p1:1', name: product.title, price: 49.5, quantity: 2 },
        { id: 'p2', lineId: 'p2:1', name: 'Wool Scarf', price: 25, quantity: 1, imageUrl: null },
      ],
    });
    expect(doc.querySelector('[data-wk-checkout]')!.getAttribute('href')).toBe('/checkout');
  });

  it("order-confirmation.liquid: data-wk-order reads as the fixture order, with the guest buyer's email", () => {
    const order = {
      name: 'order-1001',
      total_price: 114,
      currency: 'EUR',
      email: 'ada@example.com',
      phone: null,
      discount_code: 'SPRING',
      total_discounts: 10,
      billing_address: { first_name: 'Ada', last_name: 'Lovelace', city: 'Berlin', zip: '10115', country_code: 'DE' },
      line_items: lines,
    };
    const doc = page('order-confirmation.liquid', { order });
    const read = readJsonData(doc.querySelector('[data-wk-order]')!, 'data-wk-order');
    expect(read).toMatchObject({
      id: 'order-1001',
      total: 114,
      currency: 'EUR',
      email: 'ada@example.com',
      discountCode: 'SPRING',
      discountValue: 10,
      billingAddress: { firstName: 'Ada', lastName: 'Lovelace', city: 'Berlin', countryCode: 'DE' },
      lines: [
        { id: 'p1', lineId: 'p1-line', name: product.title, price: 49.5, quantity: 2, brand: 'Acme' },
        { id: 'p2', lineId: 'p2-line', name: 'Wool Scarf', price: 25, quantity: 1 },
      ],
    });
  });
});
