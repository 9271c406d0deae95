import { describe, expect, it } from 'vitest';
import { resolveEventOptions, type TrackOptions } from '../../src/events/event-options';
import { codeOf } from '../support/codes';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const YEAR = 365 * 24 * 3600_000;
const resolve = (options: unknown) => resolveEventOptions(options as TrackOptions, NOW, () => 'generated-uuid');
const refusal = (options: unknown) => codeOf(() => resolve(options));

describe('resolveEventOptions', () => {
  it('stamps a new UUID and the current time when nothing is given', () => {
    expect(resolve(undefined)).toEqual({ uniqueId: 'generated-uuid', time: '2026-11-28T12:00:00.000Z' });
    expect(resolve({})).toEqual({ uniqueId: 'generated-uuid', time: '2026-11-28T12:00:00.000Z' });
  });

  it.each([null, 'order-1', 5, true])(
    'refuses options %j that are not an object with invalid_event_option',
    (options) => {
      expect(refusal(options)).toBe('invalid_event_option');
    },
  );

  describe('uniqueId', () => {
    it('keeps a given uniqueId as it is', () => {
      expect(resolve({ uniqueId: 'order-1001' }).uniqueId).toBe('order-1001');
    });

    it.each([
      ['an empty string', ''],
      ['only spaces', '  '],
      ['a number', 1001],
      ['256 characters', 'x'.repeat(256)],
    ])('refuses %s with invalid_event_option', (_, uniqueId) => {
      expect(refusal({ uniqueId })).toBe('invalid_event_option');
    });

    it('accepts 255 characters', () => {
      expect(resolve({ uniqueId: 'x'.repeat(255) }).uniqueId).toHaveLength(255);
    });
  });

  describe('time', () => {
    it('reads a Date, an ISO string and epoch ms, and sends ISO 8601 with an offset', () => {
      const at = Date.UTC(2026, 10, 27, 8, 30, 0);
      for (const time of [new Date(at), '2026-11-27T08:30:00Z', '2026-11-27T09:30:00+01:00', at]) {
        expect(resolve({ time }).time).toBe('2026-11-27T08:30:00.000Z');
      }
    });

    it('accepts the first moment of 1990 and exactly one year ahead', () => {
      expect(resolve({ time: Date.UTC(1990, 0, 1) }).time).toBe('1990-01-01T00:00:00.000Z');
      expect(resolve({ time: NOW + YEAR }).time).toBe(new Date(NOW + YEAR).toISOString());
    });

    it.each([
      ['before 1990', Date.UTC(1989, 11, 31, 23, 59, 59)],
      ['the epoch', 0],
      ['more than a year ahead', NOW + YEAR + 1000],
      ['an unreadable string', 'yesterday'],
      ['an invalid Date', new Date('nope')],
      ['NaN', NaN],
      ['a boolean', true],
    ])('refuses a time %s with invalid_event_option', (_, time) => {
      expect(refusal({ time })).toBe('invalid_event_option');
    });
  });

  describe('value and valueCurrency', () => {
    it('keeps a finite value, zero and negatives included', () => {
      expect(resolve({ value: 98.5 }).value).toBe(98.5);
      expect(resolve({ value: 0 }).value).toBe(0);
      expect(resolve({ value: -10 }).value).toBe(-10);
    });

    it.each([
      ['a string', '98.50'],
      ['NaN', NaN],
      ['Infinity', Infinity],
    ])('refuses a value that is %s', (_, value) => {
      expect(refusal({ value })).toBe('invalid_event_option');
    });

    it('upper-cases a three-letter currency code', () => {
      expect(resolve({ value: 5, valueCurrency: 'eur' }).valueCurrency).toBe('EUR');
    });

    it.each(['EURO', 'E1R', '', '€', 978])('refuses the currency %j', (valueCurrency) => {
      expect(refusal({ valueCurrency })).toBe('invalid_event_option');
    });

    it('leaves value and currency out when they are not given', () => {
      const resolved = resolve({ uniqueId: 'u' });
      expect('value' in resolved).toBe(false);
      expect('valueCurrency' in resolved).toBe(false);
    });
  });
});
