/**
 * The calls the script tag's features file brings, by name. Until it has run, the global answers each with a call
 * that waits (src/waiting-calls.ts); test/unit/script-parts.test.ts checks this list against the features' own
 * definitions, so a new feature call cannot be forgotten here.
 */
export const FEATURE_CALLS = [
  'identify',
  'reset',
  'viewedProduct',
  'addedToCart',
  'startedCheckout',
  'placedOrder',
  'searchedSite',
  'status',
] as const;

/** The calls of `deadLetters`, which the features file brings too. */
export const DEAD_LETTER_CALLS = ['list', 'replay', 'clear'] as const;
