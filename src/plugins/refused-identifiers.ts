import type { RejectedIdentifier } from '../delivery/rejected-identifier.js';
import type { Identity } from '../identity.js';

/** How many refused values a buyer keeps (the newest). */
const MAX_REMEMBERED = 20;

/**
 * Klaviyo refused these values: the buyer drops them, and they are remembered with the buyer so that later identify()
 * calls leave them out (a theme that identifies on every page would otherwise bring the refused phone back each time).
 */
export function forgetRefused(identity: Identity, values: RejectedIdentifier[]): Promise<void> {
  const next = identity.profile();
  for (const { field, value } of values) if (next[field] === value) delete next[field];
  return identity.save(next, [...values, ...identity.refused()].slice(0, MAX_REMEMBERED));
}

/** Whether Klaviyo refused this value for the buyer before. */
export function wasRefused(identity: Identity, field: RejectedIdentifier['field'], value: string): boolean {
  return identity.refused().some((r) => r.field === field && r.value === value);
}
