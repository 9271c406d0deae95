import type { EventPayload } from './body.js';

const HOUR = 3600_000;

/** Flows that chase a fresh action (abandoned cart) must not fire for one that is hours old. */
export const DEFAULT_STALE_AFTER_MS: Readonly<Record<string, number>> = {
  'Added to Cart': HOUR,
  'Started Checkout': HOUR,
  '*': 24 * HOUR,
};

/** True when the event happened so long before it is sent that Klaviyo should record it without firing flows. */
export function isStale(
  payload: EventPayload,
  now: number,
  staleAfter: Readonly<Record<string, number>> = DEFAULT_STALE_AFTER_MS,
): boolean {
  const own = Object.prototype.hasOwnProperty.call(staleAfter, payload.metric);
  const limit = own ? staleAfter[payload.metric] : staleAfter['*'];
  return limit !== undefined && payload.time !== undefined && now - Date.parse(payload.time) > limit;
}
