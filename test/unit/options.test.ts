import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, DEFAULT_REVISION, normalizeOptions, type WizKlaviyoOptions } from '../../src/options';
import { codeOf, errorOf } from '../support/codes';

const BASE = 'https://shop.example/products/linen-shirt';
const PRIVATE_KEY = 'pk_0123456789abcdef0123456789abcdef01';
const normalize = (options: Partial<WizKlaviyoOptions> | unknown) =>
  normalizeOptions({ siteKey: 'AbC123', ...(options as object) } as WizKlaviyoOptions, BASE);
const refusal = (options: Partial<WizKlaviyoOptions> | unknown) => codeOf(() => normalize(options));

describe('normalizeOptions', () => {
  it('fills the defaults from a site key alone', () => {
    const resolved = normalize({});
    expect(resolved).toMatchObject({
      siteKey: 'AbC123',
      tenant: 'AbC123',
      endpoint: DEFAULT_ENDPOINT,
      revision: DEFAULT_REVISION,
      enabled: true,
      guestEvents: 'hold',
    });
    expect(resolved.delivery).toMatchObject({ concurrency: 4, maxAttempts: 10, rateLimitFloorMs: 5000 });
  });

  it.each([undefined, null, 'AbC123', 42])(
    'refuses options %j that are not an object with invalid_option',
    (options) => {
      expect(codeOf(() => normalizeOptions(options as never, BASE))).toBe('invalid_option');
    },
  );

  describe('private keys', () => {
    it.each([
      ['siteKey', { siteKey: PRIVATE_KEY }],
      ['siteKey with spaces around', { siteKey: `  ${PRIVATE_KEY} ` }],
      ['a short pk_ siteKey', { siteKey: 'pk_live' }],
      ['tenant', { tenant: PRIVATE_KEY }],
      ['endpoint', { endpoint: `https://proxy.example/klaviyo/${PRIVATE_KEY}` }],
      ['nonce', { nonce: PRIVATE_KEY }],
      ['an eventNames value', { eventNames: { 'Viewed Product': PRIVATE_KEY } }],
    ])('refuses a private key in %s with private_key_refused', (_, options) => {
      expect(refusal(options)).toBe('private_key_refused');
    });

    it('names the option but never shows the key', () => {
      const error = errorOf(() => normalize({ eventNames: { 'Viewed Product': PRIVATE_KEY } }));
      expect(error.code).toBe('private_key_refused');
      expect(error.details.option).toBe('eventNames.Viewed Product');
      expect(error.message).not.toContain(PRIVATE_KEY);
      expect(error.message).not.toContain(PRIVATE_KEY.slice(3, 12));
      expect(JSON.stringify(error.details)).not.toContain(PRIVATE_KEY);
    });

    it('refuses a private key before looking at anything else', () => {
      expect(refusal({ siteKey: PRIVATE_KEY, endpoint: 'ftp://nope' })).toBe('private_key_refused');
    });

    it('does not mistake words that contain "pk_" for a key', () => {
      expect(normalize({ tenant: 'shop_pk_1', eventNames: { 'Viewed Product': 'Viewed pk_ item' } }).tenant).toBe(
        'shop_pk_1',
      );
    });
  });

  describe('site key', () => {
    it('trims a public key', () => {
      expect(normalize({ siteKey: ' XyZ789 ' }).siteKey).toBe('XyZ789');
    });

    it.each(['', 'AbC12', 'AbC1234', 'AbC-12', 'AbC 12', 123456, undefined, null])(
      'refuses %j with invalid_site_key',
      (siteKey) => {
        expect(refusal({ siteKey })).toBe('invalid_site_key');
      },
    );
  });

  describe('tenant', () => {
    it('keeps a tenant name apart from the key', () => {
      expect(normalize({ tenant: 'acme-eu.shop_1' }).tenant).toBe('acme-eu.shop_1');
    });

    it.each(['', 'acme eu', 'acme/eu', 'x'.repeat(65)])('refuses %j with invalid_option', (tenant) => {
      expect(refusal({ tenant })).toBe('invalid_option');
    });
  });

  describe('endpoint', () => {
    it.each([
      ['an absolute URL', 'https://proxy.example/klaviyo', 'https://proxy.example/klaviyo'],
      ['an origin with a trailing slash', 'https://a.klaviyo.com/', 'https://a.klaviyo.com'],
      ['a path, against the page', '/klaviyo', 'https://shop.example/klaviyo'],
      ['a path with trailing slashes', '/klaviyo//', 'https://shop.example/klaviyo'],
      ['a relative path, against the page', 'kl', 'https://shop.example/products/kl'],
      ['plain http (a local stand-in)', 'http://localhost:8787/', 'http://localhost:8787'],
      ['nothing', '', DEFAULT_ENDPOINT],
    ])('resolves %s', (_, endpoint, resolved) => {
      expect(normalize({ endpoint }).endpoint).toBe(resolved);
    });

    it.each([
      ['ftp', 'ftp://proxy.example/klaviyo'],
      ['javascript', 'javascript:alert(1)'],
      ['data', 'data:text/plain,hi'],
      ['a query, which the request paths would break', '/klaviyo?via=proxy'],
      ['a fragment', 'https://proxy.example/klaviyo#x'],
      ['credentials, which fetch() refuses', 'https://user:secret@proxy.example/klaviyo'],
      ['a user name alone', 'https://user@proxy.example/klaviyo'],
    ])('refuses %s with invalid_option', (_, endpoint) => {
      expect(refusal({ endpoint })).toBe('invalid_option');
    });
  });

  describe('revision', () => {
    it('takes a dated revision', () => {
      expect(normalize({ revision: '2026-10-15' }).revision).toBe('2026-10-15');
    });

    it.each(['latest', '2026/07/15', '26-07-15'])('refuses %j with invalid_option', (revision) => {
      expect(refusal({ revision })).toBe('invalid_option');
    });
  });

  describe('delivery', () => {
    it('overrides the given fields and keeps the other defaults', () => {
      const { delivery } = normalize({ delivery: { concurrency: 1, backoffBaseMs: 250 } });
      expect(delivery).toMatchObject({ concurrency: 1, backoffBaseMs: 250, maxAttempts: 10, burst: 20 });
    });

    it.each([
      ['an unknown field', { retries: 3 }],
      ['zero', { maxAttempts: 0 }],
      ['a negative number', { backoffCapMs: -1 }],
      ['NaN', { ratePerSecond: NaN }],
      ['Infinity', { maxAgeMs: Infinity }],
      ['a numeric string', { burst: '5' }],
      ['a burst under 1, which would never send', { burst: 0.5 }],
      ['a fractional concurrency', { concurrency: 1.5 }],
      ['a fractional queue cap', { maxQueued: 10.5 }],
    ])('refuses %s with invalid_option naming the field', (_, delivery) => {
      const error = errorOf(() => normalize({ delivery }));
      expect(error.code).toBe('invalid_option');
      expect(error.details.option).toBe(Object.keys(delivery)[0]);
    });

    it('accepts a fractional rate', () => {
      expect(normalize({ delivery: { ratePerSecond: 0.5 } }).delivery.ratePerSecond).toBe(0.5);
    });
  });

  describe('other options', () => {
    it.each([
      ['guestHoldMs of 0', { guestHoldMs: 0 }],
      ['an eventNames value that is not a string', { eventNames: { 'Viewed Product': 5 } }],
      ['an eventNames value of 128 characters', { eventNames: { 'Viewed Product': 'x'.repeat(128) } }],
      ['a negative staleAfterMs', { staleAfterMs: { '*': -1 } }],
    ])('refuses %s with invalid_option', (_, options) => {
      expect(refusal(options)).toBe('invalid_option');
    });

    it('reads enabled: false as off and anything else as on', () => {
      expect(normalize({ enabled: false }).enabled).toBe(false);
      expect(normalize({ enabled: undefined }).enabled).toBe(true);
    });
  });
});
