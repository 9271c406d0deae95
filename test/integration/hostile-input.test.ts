import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAutotrack, type Autotrack } from '../../src/autotrack/index';
import type { WizKlaviyo } from '../../src/client';
import { installGlobal } from '../../src/global';
import type { WizKlaviyoOptions } from '../../src/options';
import type { ErrorInfo } from '../../src/report';
import { indexedDbStorage } from '../../src/storage';
import { createLocks, bundledParts } from '../support/harness';
import { createManualClock } from '../support/manual-clock';
import { useKlaviyo } from '../support/suite';

/**
 * Hostile and broken input through every entry point: track(), the typed helpers, identify(), the stub queue and the
 * data-wk-* markup. For each case: nothing is thrown at the caller, onError gets exactly the expected codes, and a
 * valid event tracked just before and just after is delivered untouched.
 */
const { klaviyo, make } = useKlaviyo();

const START = Date.UTC(2026, 10, 28, 12, 0, 0);
const MB = 1024 * 1024;
const polluting = () => JSON.parse('{"__proto__":{"polluted":1},"ok":1}') as Record<string, unknown>;

let autotrack: Autotrack | undefined;
let stubGlobal: { destroy(): void } | undefined;
beforeEach(() => {
  document.body.innerHTML = '';
  sessionStorage.clear();
});
afterEach(() => {
  autotrack?.stop();
  autotrack = undefined;
  stubGlobal?.destroy();
  stubGlobal = undefined;
  document.body.innerHTML = '';
  sessionStorage.clear();
  // No case may leave Object.prototype (or Array.prototype) polluted.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
});

type Attributes = {
  properties: Record<string, any>;
  metric: { data: { attributes: { name: string } } };
  [key: string]: any;
};

interface Case {
  name: string;
  /** onError codes the hostile call must produce, in any order; [] = none. */
  codes: string[];
  /** Events (besides the two markers) and profile upserts the hostile call must deliver. */
  sends?: number;
  profiles?: number;
  /** For track/helpers/identify: the code the call must resolve { ok: false } with; absent = it resolves ok. */
  refused?: string;
  /** Checks on the hostile call's delivered event(s), besides the markers. */
  check?: (events: Attributes[]) => void;
}
interface ApiCase extends Case {
  via: 'api';
  call: (sdk: WizKlaviyo) => unknown;
}
interface StubCase extends Case {
  via: 'stub';
  entry: unknown;
}
interface MarkupCase extends Case {
  via: 'markup';
  html: string;
  /** Clicked after auto-tracking started. */
  click?: string;
}
type HostileCase = ApiCase | StubCase | MarkupCase;

const line = { id: 'p-1', name: 'Linen Shirt', price: 49, quantity: 1 };
const circular = () => {
  const o: Record<string, unknown> = { ok: 1 };
  o.self = o;
  return o;
};
const nested = (levels: number) => {
  let o: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels; i++) o = { inner: o };
  return o;
};
const throwingGetter = () => ({
  ok: 1,
  get boom(): never {
    throw new Error('getter exploded');
  },
});
const throwingToJson = () => ({
  ok: 1,
  toJSON: () => {
    throw new Error('toJSON exploded');
  },
});
const trapped = () =>
  new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('ownKeys trap');
      },
    },
  );
const props = (events: Attributes[]) => events[0].properties;

const api = (name: string, call: ApiCase['call'], expected: Omit<Case, 'name'>): ApiCase => ({
  via: 'api',
  name,
  call,
  ...expected,
});
const stub = (name: string, entry: unknown, expected: Omit<Case, 'name'>): StubCase => ({
  via: 'stub',
  name,
  entry,
  ...expected,
});
const markup = (name: string, html: string, expected: Omit<Case, 'name'>, click?: string): MarkupCase => ({
  via: 'markup',
  name,
  html,
  click,
  ...expected,
});

const refusedAs = (code: string) => ({ codes: [code], refused: code });
const repaired = (check?: Case['check']) => ({ codes: ['event_repaired'], sends: 1, check });
/** Viewed Product for the scarf p-9 whose markup has no readable price: no Price, no value, nothing reported. */
const viewedScarfWithoutPrice: Omit<Case, 'name'> = {
  codes: [],
  sends: 1,
  check: (e) => {
    expect(props(e)).toMatchObject({ ProductName: 'Scarf', ProductID: 'p-9' });
    expect(props(e)).not.toHaveProperty('Price');
    expect(e[0].value).toBeUndefined();
  },
};

const cases: HostileCase[] = [
  // ---- track(): the name ----
  api('track() with a null name', (sdk) => sdk.track(null as never), refusedAs('invalid_event_name')),
  api('track() with an undefined name', (sdk) => sdk.track(undefined as never), refusedAs('invalid_event_name')),
  api('track() with a number as name', (sdk) => sdk.track(42 as never), refusedAs('invalid_event_name')),
  api('track() with a blank name', (sdk) => sdk.track('   '), refusedAs('invalid_event_name')),
  api('track() with a 200-character name', (sdk) => sdk.track('x'.repeat(200)), refusedAs('invalid_event_name')),
  api('track() with a Symbol as name', (sdk) => sdk.track(Symbol('n') as never), refusedAs('invalid_event_name')),
  api(
    'track() with an object as name',
    (sdk) => sdk.track({ toString: () => 'Viewed Product' } as never),
    refusedAs('invalid_event_name'),
  ),
  api('track() with a 1 MB name', (sdk) => sdk.track('n'.repeat(MB)), refusedAs('invalid_event_name')),
  // ---- track(): properties of the wrong type ----
  api(
    'track() with a string as properties',
    (sdk) => sdk.track('Hostile', 'oops' as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'track() with a number as properties',
    (sdk) => sdk.track('Hostile', 7 as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'track() with an array as properties',
    (sdk) => sdk.track('Hostile', [1, 2] as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'track() with a function as properties',
    (sdk) => sdk.track('Hostile', (() => 1) as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'track() with a Symbol as properties',
    (sdk) => sdk.track('Hostile', Symbol('p') as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'track() with a Proxy whose ownKeys trap throws',
    (sdk) => sdk.track('Hostile', trapped()),
    refusedAs('invalid_properties'),
  ),
  api('track() with null properties', (sdk) => sdk.track('Hostile', null as never), {
    codes: [],
    sends: 1,
    check: (events) => expect(props(events)).toEqual({}),
  }),
  // ---- track(): values JSON cannot carry ----
  api(
    'track() with a circular object',
    (sdk) => sdk.track('Hostile', circular()),
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  api(
    'track() with a BigInt',
    (sdk) => sdk.track('Hostile', { n: 12345678901234567890n }),
    repaired((e) => expect(props(e)).toEqual({ n: '12345678901234567890' })),
  ),
  api(
    'track() with a function value',
    (sdk) => sdk.track('Hostile', { ok: 1, fn: () => 1 }),
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  api(
    'track() with a Symbol value',
    (sdk) => sdk.track('Hostile', { ok: 1, s: Symbol('s') }),
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  api('track() with a Date', (sdk) => sdk.track('Hostile', { at: new Date(START) }), {
    codes: [],
    sends: 1,
    check: (e) => expect(props(e)).toEqual({ at: new Date(START).toISOString() }),
  }),
  api(
    'track() with an invalid Date',
    (sdk) => sdk.track('Hostile', { at: new Date(Number.NaN) }),
    repaired((e) => expect(props(e)).toEqual({ at: null })),
  ),
  api(
    'track() with NaN',
    (sdk) => sdk.track('Hostile', { n: Number.NaN }),
    repaired((e) => expect(props(e)).toEqual({ n: null })),
  ),
  api('track() with Infinity and -Infinity', (sdk) => sdk.track('Hostile', { a: Infinity, b: -Infinity }), {
    codes: ['event_repaired'],
    sends: 1,
    check: (e) => expect(props(e)).toEqual({ a: null, b: null }),
  }),
  api(
    'track() with a 1 MB string',
    (sdk) => sdk.track('Hostile', { s: 's'.repeat(MB) }),
    repaired((e) => expect(props(e).s).toBe('s'.repeat(100 * 1024))),
  ),
  api(
    'track() with a 5,000-item array',
    (sdk) => sdk.track('Hostile', { list: Array.from({ length: 5000 }, (_, i) => i) }),
    repaired((e) => {
      expect(props(e).list).toHaveLength(4000);
      expect(props(e).list[3999]).toBe(3999);
    }),
  ),
  api(
    'track() with 20 levels of nesting',
    (sdk) => sdk.track('Hostile', nested(20)),
    repaired((e) => {
      let depth = 0;
      for (let o = props(e); o && typeof o === 'object' && 'inner' in o; o = o.inner) depth++;
      expect(depth).toBeLessThan(10);
    }),
  ),
  api(
    'track() with 500 properties',
    (sdk) =>
      sdk.track(
        'Hostile',
        Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`p${String(i).padStart(3, '0')}`, i])),
      ),
    repaired((e) => {
      expect(Object.keys(props(e))).toHaveLength(300);
      expect(props(e).p000).toBe(0);
    }),
  ),
  api(
    'track() with a __proto__ key from JSON.parse',
    (sdk) => sdk.track('Hostile', polluting()),
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  api(
    'track() with a nested __proto__ key',
    (sdk) => sdk.track('Hostile', { inner: polluting() }),
    repaired((e) => expect(props(e)).toEqual({ inner: { ok: 1 } })),
  ),
  api(
    'track() with a constructor key',
    (sdk) => sdk.track('Hostile', { ok: 1, constructor: { prototype: { polluted: 1 } } }),
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  api(
    'track() with a prototype key',
    (sdk) => sdk.track('Hostile', { ok: 1, prototype: { polluted: 1 } }),
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  api(
    'track() with a getter that throws',
    (sdk) => sdk.track('Hostile', throwingGetter()),
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  api(
    'track() with properties whose toJSON throws',
    (sdk) => sdk.track('Hostile', throwingToJson()),
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  api(
    'track() with a nested value whose toJSON throws',
    (sdk) => sdk.track('Hostile', { inner: throwingToJson() }),
    repaired((e) => expect(props(e)).toEqual({ inner: { ok: 1 } })),
  ),
  // ---- track(): options ----
  api('track() with null options', (sdk) => sdk.track('Hostile', {}, null as never), refusedAs('invalid_event_option')),
  api(
    'track() with a string as options',
    (sdk) => sdk.track('Hostile', {}, 'now' as never),
    refusedAs('invalid_event_option'),
  ),
  api(
    'track() with an unreadable time',
    (sdk) => sdk.track('Hostile', {}, { time: 'yesterday-ish' }),
    refusedAs('invalid_event_option'),
  ),
  api(
    'track() with an invalid Date as time',
    (sdk) => sdk.track('Hostile', {}, { time: new Date(Number.NaN) }),
    refusedAs('invalid_event_option'),
  ),
  api(
    'track() with NaN as value',
    (sdk) => sdk.track('Hostile', {}, { value: Number.NaN }),
    refusedAs('invalid_event_option'),
  ),
  api(
    'track() with a BigInt as value',
    (sdk) => sdk.track('Hostile', {}, { value: 10n as never }),
    refusedAs('invalid_event_option'),
  ),
  api(
    'track() with an object as uniqueId',
    (sdk) => sdk.track('Hostile', {}, { uniqueId: {} as never }),
    refusedAs('invalid_event_option'),
  ),
  api(
    'track() with a 1 MB uniqueId',
    (sdk) => sdk.track('Hostile', {}, { uniqueId: 'u'.repeat(MB) }),
    refusedAs('invalid_event_option'),
  ),
  api(
    'track() with a currency that is not ISO 4217',
    (sdk) => sdk.track('Hostile', {}, { valueCurrency: 'EURO' }),
    refusedAs('invalid_event_option'),
  ),
  api(
    'track() with options whose getter throws',
    (sdk) =>
      sdk.track(
        'Hostile',
        {},
        {
          get value(): number {
            throw new Error('boom');
          },
        },
      ),
    refusedAs('invalid_event_option'),
  ),
  // ---- typed helpers ----
  api('viewedProduct() with null', (sdk) => sdk.viewedProduct(null as never), refusedAs('invalid_properties')),
  api('viewedProduct() with a string', (sdk) => sdk.viewedProduct('p-1' as never), refusedAs('invalid_properties')),
  api(
    'viewedProduct() with a product without id',
    (sdk) => sdk.viewedProduct({ name: 'Linen Shirt' } as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'viewedProduct() with a product without name',
    (sdk) => sdk.viewedProduct({ id: 'p-1' } as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'viewedProduct() with a getter on id that throws',
    (sdk) =>
      sdk.viewedProduct({
        name: 'Linen Shirt',
        get id(): string {
          throw new Error('boom');
        },
      }),
    refusedAs('invalid_properties'),
  ),
  api('viewedProduct() with a missing price', (sdk) => sdk.viewedProduct({ id: 'p-1', name: 'Linen Shirt' }), {
    codes: [],
    sends: 1,
    check: (e) => {
      expect(props(e)).toEqual({ ProductName: 'Linen Shirt', ProductID: 'p-1' });
      expect(e[0].value).toBeUndefined();
    },
  }),
  api(
    'viewedProduct() with an unreadable price',
    (sdk) => sdk.viewedProduct({ id: 'p-1', name: 'Linen Shirt', price: 'a lot' as never }),
    {
      codes: [],
      sends: 1,
      check: (e) => expect(props(e).Price).toBeUndefined(),
    },
  ),
  api(
    'viewedProduct() with a __proto__ key',
    (sdk) => sdk.viewedProduct(JSON.parse('{"__proto__":{"polluted":1},"id":"p-1","name":"Linen Shirt"}')),
    {
      codes: [],
      sends: 1,
      check: (e) => expect(props(e)).toEqual({ ProductName: 'Linen Shirt', ProductID: 'p-1' }),
    },
  ),
  api('addedToCart() with undefined', (sdk) => sdk.addedToCart(undefined as never), refusedAs('invalid_properties')),
  api(
    'addedToCart() with a negative quantity',
    (sdk) => sdk.addedToCart({ ...line, quantity: -2 }),
    refusedAs('invalid_properties'),
  ),
  api(
    'addedToCart() with a cart whose lines are not an array',
    (sdk) => sdk.addedToCart(line, { lines: 'nope' } as never),
    refusedAs('invalid_properties'),
  ),
  api('addedToCart() with a circular item', (sdk) => sdk.addedToCart(Object.assign(circular(), line) as never), {
    codes: [],
    sends: 1,
    check: (e) => expect(props(e).AddedItemProductID).toBe('p-1'),
  }),
  api('startedCheckout() with null', (sdk) => sdk.startedCheckout(null as never), refusedAs('invalid_properties')),
  api('startedCheckout() with no lines', (sdk) => sdk.startedCheckout({ lines: [] }), refusedAs('invalid_properties')),
  api(
    'startedCheckout() with a line without id',
    (sdk) => sdk.startedCheckout({ lines: [{ name: 'x', quantity: 1 }] as never }),
    refusedAs('invalid_properties'),
  ),
  api(
    'startedCheckout() with a currency that is not a code',
    (sdk) => sdk.startedCheckout({ lines: [line], currency: 'euros' }),
    {
      codes: [],
      sends: 1,
      check: (e) => {
        expect(e[0].value).toBe(49);
        expect(e[0].value_currency).toBeUndefined();
      },
    },
  ),
  api('placedOrder() with null', (sdk) => sdk.placedOrder(null as never), refusedAs('invalid_properties')),
  api(
    'placedOrder() without an order id',
    (sdk) => sdk.placedOrder({ lines: [line] } as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'placedOrder() with neither prices nor a total',
    (sdk) => sdk.placedOrder({ id: 'o-1', lines: [{ id: 'p-1', name: 'x', quantity: 1 }] } as never),
    refusedAs('invalid_properties'),
  ),
  api(
    'placedOrder() with a BigInt total',
    (sdk) => sdk.placedOrder({ id: 'o-1', lines: [line], total: 49n as never }),
    {
      codes: [],
      sends: 2,
      check: (e) => expect(e.map((a) => a.value)).toEqual([49, 49]),
    },
  ),
  api('searchedSite() with null', (sdk) => sdk.searchedSite(null as never), refusedAs('invalid_properties')),
  api('searchedSite() with a number', (sdk) => sdk.searchedSite(42 as never), refusedAs('invalid_properties')),
  api('searchedSite() with a blank term', (sdk) => sdk.searchedSite('  '), refusedAs('invalid_properties')),
  api('searchedSite() with a result count that is not a number', (sdk) => sdk.searchedSite('linen', 'many' as never), {
    codes: [],
    sends: 1,
    check: (e) => expect(props(e)).toEqual({ SearchTerm: 'linen' }),
  }),
  api(
    'searchedSite() with a 1 MB term',
    (sdk) => sdk.searchedSite('q'.repeat(MB)),
    repaired((e) => expect(props(e).SearchTerm).toHaveLength(100 * 1024)),
  ),
  // ---- identify() ----
  api('identify() with null', (sdk) => sdk.identify(null as never), refusedAs('invalid_identity')),
  api('identify() with a string', (sdk) => sdk.identify('ada@example.com' as never), refusedAs('invalid_identity')),
  api('identify() with an empty object', (sdk) => sdk.identify({}), refusedAs('invalid_identity')),
  api(
    'identify() with a malformed email',
    (sdk) => sdk.identify({ email: 'ada@@example' }),
    refusedAs('invalid_email'),
  ),
  api(
    'identify() with an email of 1 MB',
    (sdk) => sdk.identify({ email: `${'a'.repeat(MB)}@example.com` }),
    refusedAs('invalid_email'),
  ),
  api(
    'identify() with a phone without country code',
    (sdk) => sdk.identify({ phone: '0151 123' }),
    refusedAs('invalid_phone'),
  ),
  api(
    'identify() with letters in the phone',
    (sdk) => sdk.identify({ phone: '+1 555 CALL NOW' }),
    refusedAs('invalid_phone'),
  ),
  api(
    'identify() with an object as email',
    (sdk) => sdk.identify({ email: {} as never }),
    refusedAs('invalid_identity'),
  ),
  api(
    'identify() with a Symbol as externalId',
    (sdk) => sdk.identify({ externalId: Symbol('x') as never }),
    refusedAs('invalid_identity'),
  ),
  api(
    'identify() with a getter on email that throws',
    (sdk) =>
      sdk.identify({
        get email(): string {
          throw new Error('boom');
        },
      }),
    refusedAs('invalid_identity'),
  ),
  api(
    'identify() with a good email and a bad phone',
    (sdk) => sdk.identify({ email: 'ada@example.com', phone: 'nope-nope' }),
    { codes: ['invalid_phone'], profiles: 1 },
  ),
  api(
    'identify() with a string as properties',
    (sdk) => sdk.identify({ email: 'ada@example.com', properties: 'vip' as never }),
    { codes: ['invalid_properties'], profiles: 1 },
  ),
  api('identify() with null options', (sdk) => sdk.identify({ email: 'ada@example.com' }, null as never), {
    codes: [],
    profiles: 1,
  }),
  api(
    'identify() with a __proto__ key in properties',
    (sdk) => sdk.identify({ email: 'ada@example.com', properties: polluting() }),
    { codes: [], profiles: 1 },
  ),
  // ---- the stub queue ----
  stub('a number on the stub', 42, { codes: ['invalid_call'] }),
  stub('null on the stub', null, { codes: ['invalid_call'] }),
  stub('a bare method name on the stub', 'track', { codes: ['invalid_call'] }),
  stub('an empty array on the stub', [], { codes: ['invalid_call'] }),
  stub('a number as method on the stub', [123], { codes: ['invalid_call'] }),
  stub('an unknown method on the stub', ['nonexistent'], { codes: ['invalid_call'] }),
  stub('a misspelt method carrying an email on the stub', ['identfy', { email: 'ada@example.com' }], {
    codes: ['invalid_call'],
  }),
  stub('constructor as method on the stub', ['constructor'], { codes: ['invalid_call'] }),
  stub('__proto__ as method on the stub', ['__proto__', { polluted: 1 }], { codes: ['invalid_call'] }),
  stub('push as method on the stub', ['push', ['track', 'Hostile']], { codes: ['invalid_call'] }),
  stub('a plain object on the stub', {}, { codes: ['invalid_call'] }),
  stub('track without arguments on the stub', ['track'], { codes: ['invalid_event_name'] }),
  stub('a helper with garbage on the stub', ['viewedProduct', 'not a product'], { codes: ['invalid_properties'] }),
  stub('identify with garbage on the stub', ['identify', 'nobody'], { codes: ['invalid_identity'] }),
  stub(
    'track with a __proto__ key on the stub',
    ['track', 'Hostile', JSON.parse('{"__proto__":{"polluted":1},"ok":1}')],
    repaired((e) => expect(props(e)).toEqual({ ok: 1 })),
  ),
  // ---- data-wk-* markup and JSON-LD ----
  markup('malformed JSON in data-wk-product', `<div data-wk-product='{"id":"p-9",'></div>`, {
    codes: ['invalid_markup'],
  }),
  markup('a number in data-wk-product', `<div data-wk-product="42"></div>`, { codes: ['invalid_markup'] }),
  markup('a product without id in data-wk-product', `<div data-wk-product='{"name":"No id"}'></div>`, {
    codes: ['invalid_markup'],
  }),
  markup(
    'a product without price in data-wk-product',
    `<div data-wk-product='{"id":"p-9","name":"Scarf"}'></div>`,
    viewedScarfWithoutPrice,
  ),
  markup(
    'a __proto__ key in data-wk-product',
    `<div data-wk-product='{"__proto__":{"polluted":1},"id":"p-9","name":"Scarf"}'></div>`,
    viewedScarfWithoutPrice,
  ),
  markup(
    'malformed JSON in data-wk-add-to-cart',
    `<button data-wk-add-to-cart="{id: p-9}">Add</button>`,
    { codes: ['invalid_markup'] },
    'button',
  ),
  markup(
    'a product without id in data-wk-add-to-cart',
    `<button data-wk-add-to-cart='{"name":"No id"}'>Add</button>`,
    { codes: ['invalid_markup'] },
    'button',
  ),
  markup(
    'a quantity that is not a number on an add-to-cart button',
    `<button data-wk-add-to-cart='{"id":"p-9","name":"Scarf","price":5}' data-wk-quantity="lots">Add</button>`,
    {
      codes: [],
      sends: 1,
      check: (e) => expect(props(e).AddedItemQuantity).toBe(1),
    },
    'button',
  ),
  markup('malformed JSON in data-wk-order', `<div data-wk-order='{"id":"o-9","lines":[}'></div>`, {
    codes: ['invalid_markup'],
  }),
  markup(
    'malformed JSON in a script data-wk-order',
    `<script type="application/json" data-wk-order>{"id": "o-9", </script>`,
    { codes: ['invalid_markup'] },
  ),
  markup(
    'an order whose lines have no price and no total',
    `<div data-wk-order='{"id":"o-9","lines":[{"id":"p-9","name":"Scarf","quantity":1}]}'></div>`,
    { codes: ['invalid_properties'] },
  ),
  markup('malformed JSON-LD', `<script type="application/ld+json">{"@type": "Product", "name": </script>`, {
    codes: ['invalid_markup'],
  }),
  markup(
    'a JSON-LD product without price',
    `<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","productID":"p-9","name":"Scarf"}</script>`,
    viewedScarfWithoutPrice,
  ),
  markup(
    'a JSON-LD product whose offer has an empty price',
    `<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","productID":"p-9","name":"Scarf","offers":{"@type":"Offer","price":"","priceCurrency":"EUR"}}</script>`,
    viewedScarfWithoutPrice,
  ),
];

/** Poll often: each case waits for its deliveries. */
const FAST = { interval: 2, timeout: 2000 };

const MARKER_BEFORE = { marker: 'before', n: 1, tags: ['a', 'b'] };
const MARKER_AFTER = { marker: 'after', n: 2, nested: { deep: true } };

/** Options for installGlobal, as createTestClient would build them. */
function stubOptions(errors: ErrorInfo[]): WizKlaviyoOptions {
  return {
    siteKey: 'AbC123',
    storage: indexedDbStorage(),
    guestEvents: 'send',
    onError: (info) => errors.push(info),
    platform: {
      clock: createManualClock(START),
      locks: createLocks(),
      random: () => 0.5,
      window: undefined,
      document: undefined,
    },
  };
}

describe('hostile input', () => {
  it.each(cases)('$via: $name', async (c) => {
    const errors: ErrorInfo[] = [];
    let sdk: WizKlaviyo;
    let outcome: unknown;

    if (c.via === 'stub') {
      const target = {
        wizKlaviyo: [
          ['track', 'Marker', MARKER_BEFORE, { uniqueId: 'marker-before' }],
          c.entry,
          ['track', 'Marker', MARKER_AFTER, { uniqueId: 'marker-after' }],
        ],
      };
      expect(() => {
        stubGlobal = installGlobal(target, stubOptions(errors), bundledParts, { watchPage: false });
      }).not.toThrow();
      sdk = stubGlobal as unknown as WizKlaviyo;
    } else {
      // The SDK's reports and auto-tracking's go to one list.
      const onError = (info: ErrorInfo) => void errors.push(info);
      sdk = make({ onError }).client;
      const before = await sdk.track('Marker', MARKER_BEFORE, { uniqueId: 'marker-before' });
      expect(before).toEqual({ ok: true, uniqueId: 'marker-before' });

      if (c.via === 'api') {
        let returned: unknown;
        expect(() => {
          returned = c.call(sdk);
        }).not.toThrow();
        outcome = await returned; // rejects = the test fails
      } else {
        document.body.innerHTML = c.html;
        expect(() => {
          autotrack = startAutotrack(sdk);
        }).not.toThrow();
        if (c.click) expect(() => (document.querySelector(c.click!) as HTMLElement).click()).not.toThrow();
      }

      const after = await sdk.track('Marker', MARKER_AFTER, { uniqueId: 'marker-after' });
      expect(after).toEqual({ ok: true, uniqueId: 'marker-after' });
    }

    if (c.via === 'api' && outcome !== undefined) {
      const result = (Array.isArray(outcome) ? outcome[0] : outcome) as { ok: boolean; error?: { code: string } };
      if (c.refused) expect({ ok: result.ok, code: result.error?.code }).toEqual({ ok: false, code: c.refused });
      else expect(result.ok).toBe(true);
    }

    const sends = c.sends ?? 0;
    const profiles = c.profiles ?? 0;
    const codes = () => errors.map((e) => e.error.code).sort();
    await vi.waitFor(() => {
      expect(klaviyo.events()).toHaveLength(2 + sends);
      expect(klaviyo.received.filter((r) => r.kind === 'profile')).toHaveLength(profiles);
      expect(codes()).toEqual([...c.codes].sort());
    }, FAST);
    // Nothing more is waiting to go out.
    await sdk.flush();
    expect(klaviyo.events()).toHaveLength(2 + sends);
    expect(codes()).toEqual([...c.codes].sort());

    const attributes = klaviyo.events().map((r) => r.body.data.attributes as Attributes);
    const marker = (id: string) => attributes.filter((a) => a.unique_id === id);
    const time = new Date(START).toISOString();
    for (const [id, properties] of [
      ['marker-before', MARKER_BEFORE],
      ['marker-after', MARKER_AFTER],
    ] as const) {
      expect(marker(id)).toHaveLength(1);
      const { profile, ...rest } = marker(id)[0];
      expect(rest).toEqual({
        properties,
        time,
        unique_id: id,
        metric: { data: { type: 'metric', attributes: { name: 'Marker' } } },
      });
      expect(profile.data.attributes.anonymous_id).toEqual(expect.any(String));
    }
    const hostile = attributes.filter((a) => !a.unique_id.startsWith('marker-'));
    expect(hostile).toHaveLength(sends);
    c.check?.(hostile);
  });

  describe('auto-tracking keeps a clean cart', () => {
    const good = '{"id":"p-1","name":"Linen Shirt","price":49}';
    const checkoutItems = () =>
      klaviyo
        .events()
        .filter((r) => r.body.data.attributes.metric.data.attributes.name === 'Started Checkout')
        .map((r) => r.body.data.attributes.properties.Items.map((item: { ProductID: string }) => item.ProductID));

    it('does not remember an add-to-cart button whose product has no id, so checkout still goes out', async () => {
      const errors: ErrorInfo[] = [];
      const { client } = make({ onError: (info) => void errors.push(info) });
      document.body.innerHTML = `
        <button id="bad" data-wk-add-to-cart='{"name":"No id","price":5}'>Add</button>
        <button id="good" data-wk-add-to-cart='${good}'>Add</button>
        <a id="checkout" data-wk-checkout href="#">Checkout</a>`;
      autotrack = startAutotrack(client);
      for (const id of ['bad', 'good', 'checkout']) (document.getElementById(id) as HTMLElement).click();
      await vi.waitFor(() => expect(checkoutItems()).toEqual([['p-1']]), FAST);
      expect(klaviyo.metrics().sort()).toEqual(['Added to Cart', 'Started Checkout']);
      expect(errors.map((e) => e.error.code)).toEqual(['invalid_markup']);
    });

    it('survives wizshop:cart:add events carrying garbage, so later adds and checkout still go out', async () => {
      const errors: ErrorInfo[] = [];
      const { client } = make({ onError: (info) => void errors.push(info) });
      document.body.innerHTML = `
        <button id="good" data-wk-add-to-cart='${good}'>Add</button>
        <a id="checkout" data-wk-checkout href="#">Checkout</a>`;
      autotrack = startAutotrack(client);
      for (const detail of [{ cart: 'garbage' }, { cart: { lines: 'nope' } }, { item: { name: 'No id' } }, null, 42]) {
        expect(() => window.dispatchEvent(new CustomEvent('wizshop:cart:add', { detail }))).not.toThrow();
      }
      for (const id of ['good', 'checkout']) (document.getElementById(id) as HTMLElement).click();
      await vi.waitFor(() => expect(checkoutItems()).toEqual([['p-1']]), FAST);
      expect(klaviyo.metrics().sort()).toEqual(['Added to Cart', 'Started Checkout']);
      await vi.waitFor(
        () => expect(errors.map((e) => e.error.code)).toEqual(Array(5).fill('invalid_properties')),
        FAST,
      );
    });
  });
});
