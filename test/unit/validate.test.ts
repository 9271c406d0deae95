import { describe, expect, it } from 'vitest';
import { LIMITS, sanitizeProperties, validateEventName } from '../../src/events/validate';
import { codeOf } from '../support/codes';

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** Where each repair was made: the path before the colon ("properties.a[2]"). */
const repairedPaths = (repairs: string[]) => repairs.map((repair) => repair.split(':')[0]);

/** Levels of objects and arrays, the properties object itself being level 1. */
function depthOf(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

function nested(levels: number): Record<string, unknown> {
  let object: Record<string, unknown> = { leaf: 'bottom' };
  for (let i = 1; i < levels; i++) object = { child: object };
  return object;
}

describe('validateEventName', () => {
  it('accepts a name of 127 characters and trims it', () => {
    const name = 'x'.repeat(127);
    expect(validateEventName(`  ${name} `)).toBe(name);
  });

  it('refuses a name of 128 characters or more with invalid_event_name', () => {
    expect(codeOf(() => validateEventName('x'.repeat(128)))).toBe('invalid_event_name');
  });

  it.each([
    ['an empty string', ''],
    ['only spaces', '   '],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { name: 'Viewed Product' }],
  ])('refuses %s with invalid_event_name', (_, name) => {
    expect(codeOf(() => validateEventName(name))).toBe('invalid_event_name');
  });
});

describe('sanitizeProperties', () => {
  it('passes plain JSON through unchanged, with no repairs', () => {
    const properties = { ProductName: 'Linen Shirt', Price: 49, InStock: true, Tags: ['a', 'b'], Meta: { x: null } };
    expect(sanitizeProperties(properties)).toEqual({ value: properties, repairs: [] });
  });

  it('returns a copy, so later changes by the storefront do not reach the queue', () => {
    const properties = { Items: [{ id: 1 }] };
    const { value } = sanitizeProperties(properties);
    properties.Items[0].id = 2;
    expect(value).toEqual({ Items: [{ id: 1 }] });
  });

  it('treats undefined and null as no properties', () => {
    expect(sanitizeProperties(undefined)).toEqual({ value: {}, repairs: [] });
    expect(sanitizeProperties(null)).toEqual({ value: {}, repairs: [] });
  });

  it.each([
    ['a string', 'Linen Shirt'],
    ['a number', 49],
    ['a boolean', true],
    ['an array', [{ ProductName: 'Linen Shirt' }]],
    ['a function', () => ({})],
  ])('refuses %s with invalid_properties', (_, properties) => {
    expect(codeOf(() => sanitizeProperties(properties))).toBe('invalid_properties');
  });

  it('drops a circular reference and lists the repair', () => {
    const cart: Record<string, unknown> = { id: 'c-1', lines: [] };
    cart.self = cart;
    (cart.lines as unknown[]).push(cart);
    const { value, repairs } = sanitizeProperties({ cart });
    expect(value).toEqual({ cart: { id: 'c-1', lines: [null] } });
    expect(repairedPaths(repairs).sort()).toEqual(['properties.cart.lines[0]', 'properties.cart.self']);
  });

  it('keeps an object that appears twice without being circular', () => {
    const product = { id: 'p-1' };
    expect(sanitizeProperties({ first: product, again: product })).toEqual({
      value: { first: product, again: product },
      repairs: [],
    });
  });

  it('sends a BigInt as its decimal string and lists the repair', () => {
    const { value, repairs } = sanitizeProperties({ OrderNumber: 12345678901234567890n });
    expect(value).toEqual({ OrderNumber: '12345678901234567890' });
    expect(repairedPaths(repairs)).toEqual(['properties.OrderNumber']);
  });

  it('drops functions and symbols (null in arrays, as JSON does) and lists each', () => {
    const { value, repairs } = sanitizeProperties({
      onClick: () => 1,
      tag: Symbol('t'),
      list: [1, () => 2, Symbol('s')],
      kept: 'yes',
    });
    expect(value).toEqual({ list: [1, null, null], kept: 'yes' });
    expect(repairedPaths(repairs)).toEqual([
      'properties.onClick',
      'properties.tag',
      'properties.list[1]',
      'properties.list[2]',
    ]);
  });

  it('ignores symbol keys, which JSON cannot carry', () => {
    expect(sanitizeProperties({ [Symbol('hidden')]: 1, shown: 2 }).value).toEqual({ shown: 2 });
  });

  it('sends a Date as its ISO string, and an invalid Date as null with a repair', () => {
    const { value, repairs } = sanitizeProperties({
      at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      never: new Date('nope'),
    });
    expect(value).toEqual({ at: '2026-01-02T03:04:05.000Z', never: null });
    expect(repairedPaths(repairs)).toEqual(['properties.never']);
  });

  it('sends NaN and ±Infinity as null and lists each', () => {
    const { value, repairs } = sanitizeProperties({ a: NaN, b: Infinity, c: [-Infinity], d: 0 });
    expect(value).toEqual({ a: null, b: null, c: [null], d: 0 });
    expect(repairedPaths(repairs)).toEqual(['properties.a', 'properties.b', 'properties.c[0]']);
  });

  it('sends objects with toJSON as JSON.stringify would, a URL as its address', () => {
    const money = { amount: 5, toJSON: () => ({ amount: '5.00', currency: 'EUR' }) };
    const { value, repairs } = sanitizeProperties({ link: new URL('https://shop.example/p/1?x=1'), money });
    expect(value).toEqual({ link: 'https://shop.example/p/1?x=1', money: { amount: '5.00', currency: 'EUR' } });
    expect(repairs).toEqual([]);
  });

  it('drops a property whose getter throws and lists it', () => {
    const properties = Object.defineProperty({ ok: 1 }, 'broken', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const { value, repairs } = sanitizeProperties(properties);
    expect(value).toEqual({ ok: 1 });
    expect(repairedPaths(repairs)).toEqual(['properties.broken']);
  });

  it('truncates a 150 KB string to at most 100 KB of UTF-8 and lists the repair', () => {
    const { value, repairs } = sanitizeProperties({ Description: 'a'.repeat(150 * 1024), Short: 'b' });
    const kept = value.Description as string;
    expect(utf8Bytes(kept)).toBeLessThanOrEqual(LIMITS.stringBytes);
    expect(utf8Bytes(kept)).toBeGreaterThan(90 * 1024);
    expect(value.Short).toBe('b');
    expect(repairedPaths(repairs)).toEqual(['properties.Description']);
  });

  it('counts multi-byte characters in bytes when truncating, and never splits one', () => {
    const samples = ['é', '€', '😀'].flatMap((char) => ['', 'a', 'ab'].map((prefix) => [char, prefix]));
    for (const [char, prefix] of samples) {
      const { value } = sanitizeProperties({ text: prefix + char.repeat(Math.ceil((150 * 1024) / utf8Bytes(char))) });
      const kept = value.text as string;
      expect(utf8Bytes(kept)).toBeLessThanOrEqual(LIMITS.stringBytes);
      expect(utf8Bytes(kept)).toBeGreaterThan(90 * 1024);
      expect(kept, `no lone surrogate after truncating ${prefix}${char}…`).not.toMatch(/[\uD800-\uDBFF]$/);
    }
  });

  it('keeps a string of exactly 100 KB untouched', () => {
    const text = 'a'.repeat(LIMITS.stringBytes);
    expect(sanitizeProperties({ text })).toEqual({ value: { text }, repairs: [] });
  });

  it('keeps the first 4000 items of a 5000-item array and lists the repair', () => {
    const { value, repairs } = sanitizeProperties({ ids: Array.from({ length: 5000 }, (_, i) => i) });
    expect(value.ids).toEqual(Array.from({ length: 4000 }, (_, i) => i));
    expect(repairedPaths(repairs)).toEqual(['properties.ids']);
  });

  it('cuts 20 levels of nesting at 10 and lists the repair', () => {
    const { value, repairs } = sanitizeProperties(nested(20));
    expect(depthOf(value)).toBe(LIMITS.depth);
    expect(repairs).toHaveLength(1);
    expect(repairedPaths(repairs)[0]).toBe(`properties${'.child'.repeat(LIMITS.depth)}`);
  });

  it('keeps 10 levels of nesting whole', () => {
    expect(sanitizeProperties(nested(10))).toEqual({ value: nested(10), repairs: [] });
  });

  it('keeps the first 300 of 500 properties and lists the repair', () => {
    const properties = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`p${i}`, i]));
    const { value, repairs } = sanitizeProperties(properties);
    expect(Object.keys(value)).toEqual(Array.from({ length: 300 }, (_, i) => `p${i}`));
    expect(repairs).toHaveLength(1);
  });

  it('drops __proto__ and constructor keys without polluting Object.prototype', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": true}, "nested": {"__proto__": {"polluted": true}}, "constructor": {"prototype": {"polluted": true}}, "ok": 1}',
    );
    const { value, repairs } = sanitizeProperties(hostile);
    expect(value).toEqual({ nested: {}, ok: 1 });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['nested', 'ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(repairedPaths(repairs).sort()).toEqual([
      'properties.__proto__',
      'properties.constructor',
      'properties.nested.__proto__',
    ]);
  });
});

describe('links in URL properties', () => {
  it('keeps http(s) and relative links and drops javascript:, data: and other schemes, reporting each', () => {
    const { value, repairs } = sanitizeProperties({
      URL: 'javascript:alert(1)',
      ImageURL: ' DATA:text/html,<b>x</b>',
      CheckoutURL: 'https://shop.example/checkout',
      ProductURL: '/products/linen-shirt',
      Items: [{ ProductURL: 'vbscript:msgbox(1)', ImageURL: 'http://cdn.example/p1.jpg' }],
      Note: 'javascript: is fine in a property that is not a link',
    });
    expect(value).toEqual({
      CheckoutURL: 'https://shop.example/checkout',
      ProductURL: '/products/linen-shirt',
      Items: [{ ImageURL: 'http://cdn.example/p1.jpg' }],
      Note: 'javascript: is fine in a property that is not a link',
    });
    expect(repairs).toEqual([
      'properties.URL: not_web_url',
      'properties.ImageURL: not_web_url',
      'properties.Items[0].ProductURL: not_web_url',
    ]);
  });
});

describe('repairs in production and in the debug plugin', () => {
  /** Properties that need every repair the sanitizer makes, once each. */
  function needingEveryRepair(): Record<string, unknown> {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const many: Record<string, unknown> = {};
    for (let i = 0; i <= LIMITS.properties; i++) many[`p${i}`] = i;
    return {
      ...many,
      nan: NaN,
      big: 1n,
      fn: () => 1,
      sym: Symbol('x'),
      badDate: new Date('nope'),
      map: new Map([['a', 1]]),
      set: new Set([1]),
      cyclic,
      deep: nested(LIMITS.depth + 1),
      json: {
        toJSON() {
          throw new Error('no');
        },
      },
      long: 'x'.repeat(LIMITS.stringBytes + 1),
      items: new Array(LIMITS.arrayItems + 1).fill(0),
      get thrower() {
        throw new Error('no');
      },
      ImageURL: 'javascript:alert(1)',
      hostile: JSON.parse('{"__proto__": 1}'),
    };
  }

  it('names each repair by path and code, with no English sentence', () => {
    const { repairs } = sanitizeProperties(needingEveryRepair());
    const codes = repairs.map((repair) => repair.split(': ')[1]);
    expect([...new Set(codes)].sort()).toEqual(
      [
        ...['too_many_properties', 'not_finite', 'bigint', 'function', 'symbol', 'invalid_date', 'map', 'set'],
        ...['cycle', 'too_deep', 'to_json_threw', 'truncated', 'too_many_items', 'forbidden_key', 'getter_threw'],
        'not_web_url',
      ].sort(),
    );
    for (const repair of repairs) expect(repair).toMatch(/^[\w.[\]$]+: [a-z_]+$/);
  });

  it('says each in English with the debug plugin', async () => {
    const { describeError } = await import('../../src/plugins/debug');
    const { WizKlaviyoError } = await import('../../src/errors');
    const { repairs } = sanitizeProperties(needingEveryRepair());
    const sentence = describeError(new WizKlaviyoError('event_repaired', { metric: 'Viewed Product', repairs }));
    expect(sentence).toContain('properties.big: BigInt sent as a string');
    expect(sentence).toContain('properties.ImageURL: not an http(s) URL, dropped');
    expect(sentence).toContain(`properties: more than ${LIMITS.properties} properties, the first 300 kept`);
    // Every code has its sentence: no bare code is left after a path.
    for (const code of repairs.map((repair) => repair.split(': ')[1])) {
      expect(sentence).not.toMatch(new RegExp(`: ${code}(;|\\.$)`));
    }
    const time = describeError(
      new WizKlaviyoError('event_repaired', { metric: 'Placed Order', repairs: ['time: time_refused'] }),
    );
    expect(time).toBe(
      '"Placed Order" was repaired: time: Klaviyo refused it (is the page clock wrong?); sent without it.',
    );
  });
});
