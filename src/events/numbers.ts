/**
 * The one reading of a number from storefront input, for the typed helpers and the markup alike: prices often arrive
 * as "49.00". A value that holds no number ("", whitespace, null, NaN, Infinity, "call us") is undefined, so the field
 * is left out: never sent as 0 or NaN.
 */
export function readNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
