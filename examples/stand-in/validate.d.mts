// Types for validate.mjs, so TypeScript tests and msw handlers can import it.
export type ValidationResult = { ok: true } | { ok: false; errors: Array<{ detail: string; pointer: string }> };
export declare const IDENTIFIERS: string[];
export declare const LIMITS: { metricNameLength: number; properties: number; earliest: number };
export declare function validateEventBody(body: unknown, options?: { now?: number }): ValidationResult;
export declare function validateProfileBody(body: unknown): ValidationResult;
/** `field:value` of the first of email, phone_number, external_id, _kx, anonymous_id; undefined if none. */
export declare function profileIdentity(attributes: Record<string, unknown> | undefined): string | undefined;
