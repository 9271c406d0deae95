import { describe, expect, it } from 'vitest';
import { normalisePhone, readBuyer } from '../../src/buyer-input';

const codes = (input: unknown) => readBuyer(input).problems.map((p) => p.code);

describe('normalisePhone', () => {
  const valid: Array<[string, string]> = [
    ['+49 (151) 123-456 78', '+4915112345678'],
    ['0049 151 12345678', '+4915112345678'],
    ['0049151.1234.5678', '+4915112345678'],
    ['+1 415/555-0100', '+14155550100'],
    ['+4915112345678', '+4915112345678'],
  ];
  for (const [raw, e164] of valid) {
    it(`turns "${raw}" into ${e164}`, () => expect(normalisePhone(raw)).toBe(e164));
  }

  const invalid = [
    '0151 12345678',
    '151 12345678',
    '+0 151 1234567',
    '+49 151',
    '+49 151 1234 5678 9012 34',
    '+49 151 CALL ME',
    '',
  ];
  for (const raw of invalid) {
    it(`refuses "${raw}", which is not E.164 even after cleaning`, () => expect(normalisePhone(raw)).toBeUndefined());
  }
});

describe('readBuyer', () => {
  it('maps storefront names to Klaviyo attribute names, trimming and lower-casing the email', () => {
    expect(
      readBuyer({
        email: '  Ada@Example.COM ',
        phone: '+49 151 12345678',
        firstName: ' Ada ',
        lastName: 'Lovelace',
        externalId: 42,
        properties: { Tier: 'gold', Since: new Date(Date.UTC(2020, 0, 1)) },
      }),
    ).toEqual({
      attributes: {
        email: 'ada@example.com',
        phone_number: '+4915112345678',
        first_name: 'Ada',
        last_name: 'Lovelace',
        external_id: '42',
        properties: { Tier: 'gold', Since: '2020-01-01T00:00:00.000Z' },
      },
      problems: [],
    });
  });

  it('refuses a bad email with invalid_email and keeps the other fields', () => {
    const { attributes, problems } = readBuyer({ email: 'ada@example', phone: '+4915112345678', firstName: 'Ada' });
    expect(problems.map((p) => p.code)).toEqual(['invalid_email']);
    expect(attributes).toEqual({ phone_number: '+4915112345678', first_name: 'Ada' });
  });

  for (const email of [
    'ada',
    'ada@',
    '@example.com',
    'ada example@example.com',
    'ada@example.c',
    '<ada@example.com>',
  ]) {
    it(`refuses the email "${email}"`, () => expect(codes({ email })).toEqual(['invalid_email']));
  }

  it('refuses a phone without a country code with invalid_phone and keeps the email', () => {
    const { attributes, problems } = readBuyer({ email: 'ada@example.com', phone: '0151 12345678' });
    expect(problems.map((p) => p.code)).toEqual(['invalid_phone']);
    expect(attributes).toEqual({ email: 'ada@example.com' });
  });

  it('reports each bad field once', () => {
    expect(codes({ email: 'nope', phone: '12', firstName: { first: 'Ada' } })).toEqual([
      'invalid_email',
      'invalid_phone',
      'invalid_identity',
    ]);
  });

  it('ignores empty and null fields without reporting them', () => {
    expect(readBuyer({ email: '', phone: null, firstName: undefined, lastName: '   ' })).toEqual({
      attributes: {},
      problems: [],
    });
  });

  it('refuses properties that are not an object with invalid_properties', () => {
    const { attributes, problems } = readBuyer({ email: 'ada@example.com', properties: ['gold'] });
    expect(problems.map((p) => p.code)).toEqual(['invalid_properties']);
    expect(attributes).toEqual({ email: 'ada@example.com' });
  });

  for (const input of [null, undefined, 'ada@example.com', 42, ['ada@example.com']]) {
    it(`refuses ${JSON.stringify(input) ?? 'undefined'} with invalid_identity instead of throwing`, () => {
      expect(readBuyer(input)).toEqual({
        attributes: {},
        problems: [expect.objectContaining({ code: 'invalid_identity' })],
      });
    });
  }
});
