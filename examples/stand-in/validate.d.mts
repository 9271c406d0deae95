// Types for validate.mjs, so TypeScript tests and msw handlers can import it.
export type ValidationResult = { ok: true } | { ok: false; errors: Array<{ detail: string; pointer: string }> };
export declare const IDENTIFIERS: string[];
export declare const LIMITS: { metricNameLength: number; properties: number; earliest: number };
export declare function validateEventBody(body: unknown, options?: { now?: number }): ValidationResult;
export declare function validateProfileBody(body: unknown): ValidationResult;
/** `field:value` of the first of email, phone_number, external_id, _kx, anonymous_id; undefined if none. */
export declare function profileIdentity(attributes: Record<string, unknown> | undefined): string | undefined;
/** 400 for a body whose profile's phone_number is one of `refusedPhones`, as Klaviyo refuses a number that is no real line. */
export declare function checkPhoneNumber(
  kind: 'event' | 'profile',
  body: unknown,
  refusedPhones: Set<string>,
): ValidationResult;
