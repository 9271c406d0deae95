import type { ResolvedDelivery } from '../options.js';
import { refusedFields, type RefusableIdentifier } from './rejected-identifier.js';

/** What one send attempt came back with. */
export type SendOutcome =
  | {
      kind: 'response';
      status: number;
      retryAfter: string | null;
      detail?: string;
      /** JSON:API `source.pointer`s. */ pointers?: string[];
    }
  | { kind: 'network'; message: string };

export type Decision =
  | { action: 'delivered' }
  | {
      action: 'retry';
      delayMs: number;
      pauseTenant: boolean;
      failure: 'network' | 'server';
      detail: string;
      /** The delay is Klaviyo's own (Retry-After), not our backoff. */
      asked: boolean;
    }
  | { action: 'dead'; code: 'rejected' | 'retries_exhausted' | 'expired'; status?: number; detail: string }
  /** Klaviyo refused an identifier (a phone that is no real line): send again without it, the event itself is fine. */
  | { action: 'drop-identifiers'; fields: RefusableIdentifier[]; status: number; detail: string }
  /** Klaviyo refused the event's time (a page clock far off): send again without it, Klaviyo then uses its own. */
  | { action: 'drop-time'; status: number; detail: string };

export interface AttemptHistory {
  /** Failures before this attempt (any kind). */
  failures: number;
  /** Failed server answers before this attempt. */
  serverFailures: number;
  /** Attempts before this one that got no answer at all. */
  networkFailures?: number;
  queuedAt: number;
}

export type RetryTiming = Pick<
  ResolvedDelivery,
  'maxAttempts' | 'maxAgeMs' | 'backoffBaseMs' | 'backoffCapMs' | 'retryAfterCapMs' | 'rateLimitFloorMs'
>;

/**
 * Decides what happens after one attempt. Pure: time and randomness come in as arguments.
 * Retry-After wins (no jitter, capped); otherwise exponential backoff with full jitter, capped.
 */
export function decide(
  outcome: SendOutcome,
  history: AttemptHistory,
  timing: RetryTiming,
  now: number,
  random: number,
): Decision {
  if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) return { action: 'delivered' };

  const status = outcome.kind === 'response' ? outcome.status : undefined;
  const detail = outcome.kind === 'network' ? outcome.message : (outcome.detail ?? `HTTP ${outcome.status}`);
  const refused = status === 400 && outcome.kind === 'response' ? refusedFields(outcome.pointers ?? []) : [];
  if (status !== undefined && refused.length > 0)
    return { action: 'drop-identifiers', fields: refused, status, detail };
  const pointers = outcome.kind === 'response' ? (outcome.pointers ?? []) : [];
  if (status === 400 && pointers.some((pointer) => pointer.endsWith('/data/attributes/time'))) {
    return { action: 'drop-time', status, detail };
  }
  if (status !== undefined && !isRetryable(status)) return { action: 'dead', code: 'rejected', status, detail };
  if (now - history.queuedAt >= timing.maxAgeMs) return { action: 'dead', code: 'expired', status, detail };
  const failure = status === undefined ? 'network' : 'server';
  // A 429 is Klaviyo saying "later", like an offline spell: it does not use up attempts (only maxAgeMs ends it).
  if (failure === 'server' && status !== 429 && history.serverFailures + 1 >= timing.maxAttempts) {
    return { action: 'dead', code: 'retries_exhausted', status, detail };
  }

  // The backoff grows with failures of this kind only (no answer, or an answer): an offline spell's network errors
  // must not make the first 500 after it wait minutes, nor a server outage the first try after going offline.
  const network = history.networkFailures ?? 0;
  const streak = failure === 'network' ? network : history.failures - network;
  const backoff = Math.floor(random * Math.min(timing.backoffCapMs, timing.backoffBaseMs * 2 ** streak));
  const retryAfter =
    outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, now, timing.retryAfterCapMs) : undefined;
  const pauseTenant = status === 429;
  let delayMs = retryAfter ?? backoff;
  // A 429 whose Retry-After is hidden (CORS) still waits a few seconds: hammering would only extend the limit.
  // So does one whose Retry-After is zero or already past (a browser clock that is off).
  if (pauseTenant && !retryAfter) delayMs = Math.max(delayMs, timing.rateLimitFloorMs);

  return { action: 'retry', delayMs, pauseTenant, failure, detail, asked: retryAfter !== undefined || pauseTenant };
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Reads Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number, capMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    // Every HTTP-date form has a time of day; without one, Date.parse would read "-5" or "later 99" as a past year.
    const date = /\d{1,2}:\d{2}:\d{2}/.test(trimmed) ? Date.parse(trimmed) : NaN;
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(Math.max(0, Math.ceil(ms)), capMs);
}
