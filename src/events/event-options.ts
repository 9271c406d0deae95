import { WizKlaviyoError } from '../errors.js';
import { typeName } from './validate.js';

/** Per-call options of track(). */
export interface TrackOptions {
  /** Klaviyo keeps one event per profile, metric and unique_id; retries reuse it. @default a new UUID */
  uniqueId?: string;
  /** When it happened. @default now */
  time?: Date | string | number;
  /** Monetary value of the event (e.g. the cart or order total). */
  value?: number;
  /** ISO 4217 code of `value`, e.g. "EUR". */
  valueCurrency?: string;
  /**
   * Stores the event at once but sends it only after this many ms (at most 60 000), or as soon as amend() adds the
   * detail it waits for (a search's result count from the results page). Not sent on the way out of the page meanwhile.
   */
  awaitDetailMs?: number;
}

export interface ResolvedEventOptions {
  uniqueId: string;
  time: string;
  value?: number;
  valueCurrency?: string;
}

/** The shape of an ISO 4217 currency code ("EUR"); sent upper-cased. Shared with the typed helpers (catalog.ts). */
export const CURRENCY_CODE = /^[A-Za-z]{3}$/;

const EARLIEST = Date.UTC(1990, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Checks track()'s options against Klaviyo's rules; a bad option refuses the event with a clear reason. */
export function resolveEventOptions(options: TrackOptions | undefined, now: number, uuid: () => string) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw refuse('options', typeName(options));
  }
  const { uniqueId, time, value, valueCurrency } = options ?? {};
  const resolved: ResolvedEventOptions = { uniqueId: uuid(), time: new Date(now).toISOString() };
  if (uniqueId !== undefined) {
    if (typeof uniqueId !== 'string' || uniqueId.trim() === '' || uniqueId.length > 255) {
      throw refuse('uniqueId');
    }
    resolved.uniqueId = uniqueId;
  }
  if (time !== undefined) {
    const ms = time instanceof Date ? time.getTime() : typeof time === 'string' ? Date.parse(time) : time;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < EARLIEST || ms > now + YEAR_MS) {
      throw refuse('time');
    }
    resolved.time = new Date(ms).toISOString();
  }
  if (value !== undefined) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw refuse('value');
    resolved.value = value;
  }
  if (valueCurrency !== undefined) {
    if (typeof valueCurrency !== 'string' || !CURRENCY_CODE.test(valueCurrency)) {
      throw refuse('valueCurrency');
    }
    resolved.valueCurrency = valueCurrency.toUpperCase();
  }
  return resolved;
}

const MAX_AWAIT_DETAIL_MS = 60_000;

/** The wait of `awaitDetailMs`, checked: 0 when absent. Kept apart from resolveEventOptions: it is not sent. */
export function resolveAwaitDetail(options: TrackOptions | undefined): number {
  const wait = options?.awaitDetailMs;
  if (wait === undefined) return 0;
  if (typeof wait !== 'number' || !(wait >= 0 && wait <= MAX_AWAIT_DETAIL_MS)) {
    throw refuse('awaitDetailMs', undefined, MAX_AWAIT_DETAIL_MS);
  }
  return wait;
}

/** The option refused; `got` (the type given) and `max` where a sentence about it names them. */
function refuse(option: keyof TrackOptions | 'options', got?: string, max?: number): WizKlaviyoError {
  const details: Record<string, unknown> = { option };
  if (got !== undefined) details.got = got;
  if (max !== undefined) details.max = max;
  return new WizKlaviyoError('invalid_event_option', details);
}
