import type { ProfileAttributes } from '../events/body.js';

/** The identifiers Klaviyo validates beyond their shape and may refuse: a phone that is no real line, an email it will not take. */
export type RefusableIdentifier = 'email' | 'phone_number';

/** One identifier value Klaviyo refused. */
export interface RejectedIdentifier {
  field: RefusableIdentifier;
  value: string;
}

const IDENTIFIERS = ['email', 'phone_number', 'external_id', 'anonymous_id', '_kx'] as const;

/**
 * Which identifiers a 400's `source.pointer`s name, e.g. `/data/attributes/profile/data/attributes/phone_number`
 * (an event) or `/data/attributes/phone_number` (a profile). Klaviyo's own Swift SDK reads the pointer the same way
 * and drops the field (klaviyo-swift-sdk, Sources/KlaviyoSwift/StateManagement/APIRequestErrorHandling.swift).
 */
export function refusedFields(pointers: readonly string[]): RefusableIdentifier[] {
  const fields = new Set<RefusableIdentifier>();
  for (const pointer of pointers) {
    if (pointer.endsWith('/attributes/phone_number')) fields.add('phone_number');
    if (pointer.endsWith('/attributes/email')) fields.add('email');
  }
  return [...fields];
}

/** The profile without the refused values (a field holding another value stays). */
export function withoutRejected(
  profile: ProfileAttributes,
  rejected: readonly RejectedIdentifier[],
): ProfileAttributes {
  const kept = { ...profile };
  for (const { field, value } of rejected) if (kept[field] === value) delete kept[field];
  return kept;
}

/** Whether any rejected value is on this profile. */
export function carriesRejected(profile: ProfileAttributes, rejected: readonly RejectedIdentifier[]): boolean {
  return rejected.some(({ field, value }) => profile[field] === value);
}

/** Klaviyo needs at least one of these to know whose event it is. */
export function hasIdentifier(profile: ProfileAttributes): boolean {
  return IDENTIFIERS.some((key) => typeof profile[key] === 'string' && profile[key] !== '');
}
