import { describe, expect, it } from 'vitest';
import { readNumber } from '../../src/events/numbers';

describe('readNumber', () => {
  it.each([
    [49, 49],
    ['49.00', 49],
    [' 19.99 ', 19.99],
    ['0', 0],
    [0, 0],
    [-5, -5],
  ])('reads %j as %j', (value, expected) => {
    expect(readNumber(value)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    [null],
    [undefined],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['Infinity'],
    ['call us'],
    ['49,00'],
    [true],
    [{}],
    [[]],
  ])('reads %j as no number', (value) => {
    expect(readNumber(value)).toBeUndefined();
  });
});
