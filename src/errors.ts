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
  | 'feature_unavailable'
  | 'tenant_disabled'
  | 'consent_denied'
  | 'storage_failed'
  | 'send_failed'
  | 'rate_limited'
  | 'dead_lettered'
  | 'queue_overflow'
  | 'dead_letter_overflow';

/**
 * A problem the SDK reports: a stable `code` and the `details` a sentence about it needs (field and option names,
 * counts, Klaviyo's answer). The English sentences live in the debug plugin (src/plugins/debug.ts), so a production
 * build does not ship them: `message` is the code until the reporter describes the error with it.
 */
export class WizKlaviyoError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}) {
    super(code);
    this.name = 'WizKlaviyoError';
    this.code = code;
    this.details = details;
  }

  /**
   * The script tag's later parts are separate files with their own copy of this class: an error made in one is still
   * recognised in another by its brand (name, code and details), not by which copy made it.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    const error = value as Partial<WizKlaviyoError> | null;
    return value instanceof Error && error?.name === 'WizKlaviyoError' && typeof error.code === 'string';
  }
}

/**
 * Wraps anything thrown by the browser or by us into a WizKlaviyoError with the given code; a WizKlaviyoError passes
 * through unchanged. The cause's name and message go into `details.cause`.
 */
export function toWizError(cause: unknown, code: ErrorCode, details: Record<string, unknown> = {}): WizKlaviyoError {
  if (cause instanceof WizKlaviyoError) return cause;
  let reason = 'a value that cannot be printed';
  try {
    reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  } catch {
    // a prototype-less object, a toString that throws: keep the placeholder
  }
  return new WizKlaviyoError(code, { ...details, cause: reason });
}

/** What a sentence is made from: an error, or a debug-mode trace (src/report.ts `TraceCode`). */
export type Describable = { code: string; details: Record<string, unknown> };

export type Read<T> = { ok: true; value: T } | { ok: false; error: WizKlaviyoError };

/**
 * Reads the storefront's input, which may throw while being read (a getter, a Proxy trap) or be refused by a
 * validator (a WizKlaviyoError, kept as it is). Either way the caller gets the problem back as a value, to report once.
 */
export function readInput<T>(read: () => T, code: ErrorCode, details: Record<string, unknown> = {}): Read<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    return { ok: false, error: toWizError(error, code, { rule: 'unreadable', ...details }) };
  }
}
