import { describe, expect, it } from 'vitest';
import { sanitizeProperties } from '../../src/events/validate';
import { productsFromJsonLd } from '../../src/autotrack/markup';

describe("Klaviyo's 5 MB payload limit", () => {
  it('refuses properties whose text adds up to more than 5 MB, each string being under 100 KB', () => {
    const big = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${i}`, 'x'.repeat(100 * 1024)]));
    expect(() => sanitizeProperties(big)).toThrow(expect.objectContaining({ code: 'invalid_properties' }));
  });

  it('counts UTF-8 bytes, not characters: 2.2 million three-byte characters are over 5 MB', () => {
    // Each string stays under the 100 KB per-string limit (33,000 × 3 bytes), so nothing is cut first.
    const wide = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`p${i}`, '€'.repeat(33_000)]));
    expect(() => sanitizeProperties(wide)).toThrow(expect.objectContaining({ code: 'invalid_properties' }));
  });

  it('counts property names too: 300 names of 20 KB each are over 5 MB', () => {
    const names = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`${i}-${'k'.repeat(20 * 1024)}`, 1]));
    expect(() => sanitizeProperties(names)).toThrow(expect.objectContaining({ code: 'invalid_properties' }));
  });

  it('accepts the same shape when it stays under the limit', () => {
    const fits = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, 'x'.repeat(100 * 1024)]));
    expect(Object.keys(sanitizeProperties(fits).value)).toHaveLength(40);
  });
});

describe('JSON-LD products', () => {
  it('finds a Product given as the mainEntity of a WebPage', () => {
    document.head.replaceChildren();
    const script = document.createElement('script');
    script.type = 'application/ld+json';
    script.textContent = JSON.stringify({
      '@type': 'WebPage',
      mainEntity: { '@type': 'Product', productID: 'p9', name: 'Belt' },
    });
    document.head.append(script);
    expect(productsFromJsonLd(document, () => undefined).map((p) => p.id)).toEqual(['p9']);
  });
});

describe('collections JSON cannot carry', () => {
  it('sends a Map as an object and a Set as an array, listing both repairs', () => {
    const { value, repairs } = sanitizeProperties({ sizes: new Set(['S', 'M']), stock: new Map([['S', 2]]) });
    expect(value).toEqual({ sizes: ['S', 'M'], stock: { S: 2 } });
    expect(repairs).toHaveLength(2);
  });
});
