/**
 * Every problem the SDK reports has a stable `code`, so storefront code and tests can branch on it
 * without parsing messages.
 */
export type ErrorCode =
  | 'private_key_refused'
  | 'invalid_site_key'
  | 'invalid_option'
  | 'invalid_event_name'
  | 'invalid_properties'
  | 'invalid_event_option'
  | 'event_repaired'
  | 'invalid_identity'
  | 'invalid_email'
  | 'invalid_phone'
  | 'identifier_rejected'
  | 'hold_expired'
  | 'onsite_blocked'
  | 'invalid_markup'
  | 'invalid_call'
  | 'tenant_disabled'
  | 'consent_denied'
  | 'storage_failed'
  | 'send_failed'
  | 'rate_limited'
  | 'dead_lettered'
  | 'queue_overflow'
  | 'dead_letter_overflow';

export class WizKlaviyoError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'WizKlaviyoError';
    this.code = code;
    this.details = details;
  }
}

/** Wraps anything thrown by the browser or by us into a WizKlaviyoError with the given code. */
export function toWizError(cause: unknown, code: ErrorCode, message: string): WizKlaviyoError {
  if (cause instanceof WizKlaviyoError) return cause;
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new WizKlaviyoError(code, `${message} (${reason})`, { cause: reason });
}
