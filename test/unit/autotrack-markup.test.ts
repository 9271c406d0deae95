import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { productsFromJsonLd, readJsonData, readProductData } from '../../src/autotrack/markup';
import { watchNavigation } from '../../src/autotrack/router';
import { WizKlaviyoError } from '../../src/errors';
import { codeOf, errorOf } from '../support/codes';

const element = (html: string): Element => {
  const host = document.createElement('div');
  host.innerHTML = html.trim();
  return host.firstElementChild as Element;
};

const jsonLd = (...blocks: Array<string | object>): ParentNode => {
  const root = document.createElement('div');
  for (const block of blocks) {
    const script = document.createElement('script');
    script.type = 'application/ld+json';
    script.textContent = typeof block === 'string' ? block : JSON.stringify(block);
    root.appendChild(script);
  }
  return root;
};

describe('readJsonData', () => {
  it('reads the JSON in the attribute value', () => {
    expect(
      readJsonData(element(`<div data-wk-product='{"id":"p-1","name":"Shirt"}'>ignored text</div>`), 'data-wk-product'),
    ).toEqual({
      id: 'p-1',
      name: 'Shirt',
    });
  });

  it('reads the element text where the attribute is empty', () => {
    const script = element(`<script type="application/json" data-wk-order>{"id":"o-1","total":5}</script>`);
    expect(readJsonData(script, 'data-wk-order')).toEqual({ id: 'o-1', total: 5 });
  });

  it('reads the element text where the attribute holds only whitespace', () => {
    const script = element(`<script type="application/json" data-wk-order=" ">{"id":"o-1"}</script>`);
    expect(readJsonData(script, 'data-wk-order')).toEqual({ id: 'o-1' });
  });

  it('prefers the attribute over the text when both are there', () => {
    expect(readJsonData(element(`<div data-wk-order='{"id":"attr"}'>{"id":"text"}</div>`), 'data-wk-order')).toEqual({
      id: 'attr',
    });
  });

  it('refuses malformed JSON as invalid_markup, naming the attribute', () => {
    const error = errorOf(() => readJsonData(element(`<div data-wk-product='{"id":'></div>`), 'data-wk-product'));
    expect(error.code).toBe('invalid_markup');
    expect(error.details.attribute).toBe('data-wk-product');
  });

  it('refuses an element with neither attribute value nor text as invalid_markup', () => {
    expect(codeOf(() => readJsonData(element('<div data-wk-order></div>'), 'data-wk-order'))).toBe('invalid_markup');
  });
});

describe('readProductData', () => {
  it('accepts a product with an id and a name, a numeric id included', () => {
    expect(
      readProductData(
        element(`<button data-wk-add-to-cart='{"id":7,"name":"Shirt","price":"49.00"}'></button>`),
        'data-wk-add-to-cart',
      ),
    ).toEqual({
      id: 7,
      name: 'Shirt',
      price: '49.00',
    });
  });

  it.each([
    ['without id', '{"name":"Shirt"}'],
    ['with a blank id', '{"id":"  ","name":"Shirt"}'],
    ['without name', '{"id":"p-1"}'],
    ['with an object as id', '{"id":{},"name":"Shirt"}'],
    ['as an array', '[{"id":"p-1","name":"Shirt"}]'],
    ['as a number', '42'],
    ['as null', 'null'],
  ])('refuses a product %s as invalid_markup', (_label, json) => {
    expect(codeOf(() => readProductData(element(`<div data-wk-product='${json}'></div>`), 'data-wk-product'))).toBe(
      'invalid_markup',
    );
  });
});

describe('productsFromJsonLd', () => {
  const shirt = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    productID: 'p-1',
    sku: 'LS-M',
    name: ' Linen Shirt ',
    url: 'https://shop.example/p-1',
    image: 'https://cdn.example/p-1.jpg',
    category: 'Apparel > Shirts > Linen',
    brand: 'Wiz',
    offers: { '@type': 'Offer', price: '49.00', priceCurrency: 'EUR' },
  };

  it('maps a schema.org Product to the SDK product', () => {
    const report = vi.fn();
    expect(productsFromJsonLd(jsonLd(shirt), report)).toEqual([
      {
        id: 'p-1',
        name: 'Linen Shirt',
        sku: 'LS-M',
        price: 49,
        url: 'https://shop.example/p-1',
        imageUrl: 'https://cdn.example/p-1.jpg',
        categories: ['Apparel', 'Shirts', 'Linen'],
        brand: 'Wiz',
        currency: 'EUR',
      },
    ]);

    expect(report).not.toHaveBeenCalled();
  });

  it('finds Products inside @graph, next to other node types', () => {
    const graph = {
      '@context': 'https://schema.org',
      '@graph': [{ '@type': 'WebPage', name: 'Page' }, { '@type': 'BreadcrumbList' }, shirt],
    };
    expect(productsFromJsonLd(jsonLd(graph), vi.fn()).map((p) => p.id)).toEqual(['p-1']);
  });

  it('finds every Product in a top-level array and across blocks', () => {
    const scarf = { '@type': 'Product', sku: 'WS-1', name: 'Scarf' };
    const found = productsFromJsonLd(
      jsonLd([shirt, scarf], { '@type': 'Product', productID: 'p-3', name: 'Hat' }),
      vi.fn(),
    );
    expect(found.map((p) => p.id)).toEqual(['p-1', 'WS-1', 'p-3']);
  });

  it('accepts @type as an array that includes Product', () => {
    const found = productsFromJsonLd(jsonLd({ ...shirt, '@type': ['Product', 'Thing'] }), vi.fn());
    expect(found.map((p) => p.id)).toEqual(['p-1']);
  });

  it('ignores nodes that are not Products', () => {
    expect(
      productsFromJsonLd(jsonLd({ '@type': 'Organization', name: 'Wiz', url: 'https://shop.example' }), vi.fn()),
    ).toEqual([]);
  });

  it('takes the price from the first of several offers, and lowPrice from an AggregateOffer', () => {
    const offers = [
      { '@type': 'Offer', price: 39.5 },
      { '@type': 'Offer', price: 59 },
    ];
    expect(productsFromJsonLd(jsonLd({ ...shirt, offers }), vi.fn())[0].price).toBe(39.5);
    const aggregate = { '@type': 'AggregateOffer', lowPrice: '19.99', highPrice: '29.99' };
    expect(productsFromJsonLd(jsonLd({ ...shirt, offers: aggregate }), vi.fn())[0].price).toBe(19.99);
    const blankPrice = { '@type': 'AggregateOffer', price: '', lowPrice: '19.99' };
    expect(productsFromJsonLd(jsonLd({ ...shirt, offers: blankPrice }), vi.fn())[0].price).toBe(19.99);
  });

  it('leaves the price out when no offer has a readable one', () => {
    const [product] = productsFromJsonLd(jsonLd({ ...shirt, offers: { price: 'call us' } }), vi.fn());
    expect(product.price).toBeUndefined();
    for (const price of ['', '  ', null]) {
      expect(productsFromJsonLd(jsonLd({ ...shirt, offers: { price } }), vi.fn())[0].price).toBeUndefined();
    }
    expect(productsFromJsonLd(jsonLd({ ...shirt, offers: undefined }), vi.fn())[0].price).toBeUndefined();
  });

  it('reads the brand as a string or as an object with a name', () => {
    expect(productsFromJsonLd(jsonLd({ ...shirt, brand: { '@type': 'Brand', name: 'Acme' } }), vi.fn())[0].brand).toBe(
      'Acme',
    );
    expect(productsFromJsonLd(jsonLd({ ...shirt, brand: 'Acme' }), vi.fn())[0].brand).toBe('Acme');
    expect(productsFromJsonLd(jsonLd({ ...shirt, brand: { '@type': 'Brand' } }), vi.fn())[0].brand).toBeUndefined();
  });

  it('reads the image as a string, an ImageObject, or the first of an array', () => {
    const imageOf = (image: unknown) => productsFromJsonLd(jsonLd({ ...shirt, image }), vi.fn())[0].imageUrl;
    expect(imageOf('https://cdn.example/a.jpg')).toBe('https://cdn.example/a.jpg');
    expect(imageOf({ '@type': 'ImageObject', url: 'https://cdn.example/b.jpg' })).toBe('https://cdn.example/b.jpg');
    expect(imageOf(['https://cdn.example/c.jpg', 'https://cdn.example/d.jpg'])).toBe('https://cdn.example/c.jpg');
  });

  it('splits a category path "A > B" into categories', () => {
    expect(productsFromJsonLd(jsonLd({ ...shirt, category: 'Men>Shirts' }), vi.fn())[0].categories).toEqual([
      'Men',
      'Shirts',
    ]);
    expect(productsFromJsonLd(jsonLd({ ...shirt, category: 'Shirts' }), vi.fn())[0].categories).toEqual(['Shirts']);
    expect(productsFromJsonLd(jsonLd({ ...shirt, category: undefined }), vi.fn())[0].categories).toBeUndefined();
  });

  it('falls back from productID to sku, @id and url for the id', () => {
    const { productID: _id, sku: _sku, ...bare } = shirt;
    expect(productsFromJsonLd(jsonLd({ ...bare, '@id': 'https://shop.example/p-1#product' }), vi.fn())[0].id).toBe(
      'https://shop.example/p-1#product',
    );
    expect(productsFromJsonLd(jsonLd(bare), vi.fn())[0].id).toBe('https://shop.example/p-1');
  });

  it('skips a Product without a name or any identifier', () => {
    const { name: _name, ...nameless } = shirt;
    const { productID: _id, sku: _sku, url: _url, ...anonymous } = shirt;
    expect(productsFromJsonLd(jsonLd(nameless, anonymous), vi.fn())).toEqual([]);
  });

  it('reports each malformed block once and still reads the good ones', () => {
    const report = vi.fn();
    const found = productsFromJsonLd(jsonLd('{"@type": "Product", "name": ', shirt, '<!-- not json -->'), report);
    expect(found.map((p) => p.id)).toEqual(['p-1']);
    expect(report).toHaveBeenCalledTimes(2);
    for (const [error] of report.mock.calls) {
      expect(error).toBeInstanceOf(WizKlaviyoError);
      expect(error.code).toBe('invalid_markup');
    }
  });

  it('ignores JSON-LD that is valid JSON but not an object', () => {
    const report = vi.fn();
    expect(productsFromJsonLd(jsonLd('42', 'null', '"Product"'), report)).toEqual([]);
    expect(report).not.toHaveBeenCalled();
  });
});

describe('watchNavigation', () => {
  let stop: (() => void) | undefined;
  const onPageView = vi.fn();
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    history.replaceState(null, '', '/products/a');
    onPageView.mockReset();
    stop = watchNavigation(window as Window & typeof globalThis, onPageView);
  });
  afterEach(() => {
    stop?.();
    vi.useRealTimers();
    history.replaceState(null, '', '/');
  });

  it('ignores pushState and replaceState to the same URL, as during hydration', async () => {
    history.pushState({ hydrated: true }, '', '/products/a');
    history.replaceState({ hydrated: true }, '', location.href);
    window.dispatchEvent(new PopStateEvent('popstate'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(onPageView).not.toHaveBeenCalled();
  });

  it('counts a push to a new URL once, after the DOM has settled', async () => {
    history.pushState(null, '', '/products/b');
    expect(onPageView).not.toHaveBeenCalled(); // not inside pushState
    await vi.advanceTimersByTimeAsync(10);
    expect(onPageView).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(5000);
    expect(onPageView).toHaveBeenCalledTimes(1);
    // The same URL again (a re-render) is not a second page view.
    history.replaceState(null, '', '/products/b');
    await vi.advanceTimersByTimeAsync(5000);
    expect(onPageView).toHaveBeenCalledTimes(1);
  });

  it('counts a hash change and a query change as new page views', async () => {
    history.pushState(null, '', '/products/a?color=blue');
    await vi.advanceTimersByTimeAsync(5000);
    history.pushState(null, '', '/products/a?color=blue#reviews');
    await vi.advanceTimersByTimeAsync(5000);
    expect(onPageView).toHaveBeenCalledTimes(2);
  });

  it('restores history.pushState and hears nothing more once stopped', async () => {
    stop?.();
    stop = undefined;
    expect((history.pushState as { __wizKlaviyoPatched?: true }).__wizKlaviyoPatched).toBeUndefined();
    history.pushState(null, '', '/products/c');
    await vi.advanceTimersByTimeAsync(5000);
    expect(onPageView).not.toHaveBeenCalled();
  });
});
