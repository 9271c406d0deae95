import { WizKlaviyoError } from '../errors';
import { typeName } from './validate';

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
}

export interface ResolvedEventOptions {
  uniqueId: string;
  time: string;
  value?: number;
  valueCurrency?: string;
}

const EARLIEST = Date.UTC(1990, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Checks track()'s options against Klaviyo's rules; a bad option refuses the event with a clear reason. */
export function resolveEventOptions(options: TrackOptions | undefined, now: number, uuid: () => string) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw refuse(`track() options must be an object; got ${typeName(options)}.`);
  }
  const { uniqueId, time, value, valueCurrency } = options ?? {};
  const resolved: ResolvedEventOptions = { uniqueId: uuid(), time: new Date(now).toISOString() };
  if (uniqueId !== undefined) {
    if (typeof uniqueId !== 'string' || uniqueId.trim() === '' || uniqueId.length > 255) {
      throw refuse('uniqueId must be a non-empty string of at most 255 characters.');
    }
    resolved.uniqueId = uniqueId;
  }
  if (time !== undefined) {
    const ms = time instanceof Date ? time.getTime() : typeof time === 'string' ? Date.parse(time) : time;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < EARLIEST || ms > now + YEAR_MS) {
      throw refuse('time must be a date after 1990 and at most a year ahead.');
    }
    resolved.time = new Date(ms).toISOString();
  }
  if (value !== undefined) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw refuse('value must be a finite number.');
    resolved.value = value;
  }
  if (valueCurrency !== undefined) {
    if (typeof valueCurrency !== 'string' || !/^[A-Za-z]{3}$/.test(valueCurrency)) {
      throw refuse('valueCurrency must be an ISO 4217 code such as "EUR".');
    }
    resolved.valueCurrency = valueCurrency.toUpperCase();
  }
  return resolved;
}

function refuse(message: string): WizKlaviyoError {
  return new WizKlaviyoError('invalid_event_option', message);
}
