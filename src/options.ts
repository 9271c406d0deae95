import { WizKlaviyoError } from './errors.js';
import type { ErrorInfo } from './report.js';
import type { Platform } from './platform.js';
import type { StorageFactory } from './storage.js';
import type { StandardEvent } from './events/shapes.js';
import { DEFAULT_STALE_AFTER_MS } from './events/staleness.js';

/** Revision of Klaviyo's client API whose schemas the request bodies follow. */
export const DEFAULT_REVISION = '2026-07-15';
export const DEFAULT_ENDPOINT = 'https://a.klaviyo.com';
export const DEFAULT_ONSITE_HOST = 'https://static.klaviyo.com';
const DAY = 24 * 3600 * 1000;

/** Delivery tuning. Every field is optional; the defaults suit one shopper's browser. */
export interface DeliveryOptions {
  /** Steady sends per second for this tenant in this browser. @default 10 */
  ratePerSecond?: number;
  /** Sends allowed at once before the steady rate applies. @default 20 */
  burst?: number;
  /** Requests in flight at once. @default 4 */
  concurrency?: number;
  /** Queue cap; past it the oldest events move to the dead letters (replayable), never vanish. @default 1000 */
  maxQueued?: number;
  /** Dead-letter cap; past it the oldest are dropped, counted in status() and reported. @default 1000 */
  maxDeadLetters?: number;
  /** Failed server answers (408, 5xx) before an event is dead-lettered; a 429 does not count. @default 10 */
  maxAttempts?: number;
  /** Age after which an undelivered event is dead-lettered. @default 7 days */
  maxAgeMs?: number;
  /** First backoff step; doubles per failure, with full jitter. @default 1000 */
  backoffBaseMs?: number;
  /** Longest backoff between two tries. @default 300000 (5 min) */
  backoffCapMs?: number;
  /** Longest wait honoured from a Retry-After header. @default 600000 (10 min) */
  retryAfterCapMs?: number;
  /** Pause after a 429 whose Retry-After cannot be read (CORS may hide it). @default 5000 */
  rateLimitFloorMs?: number;
}

export interface WizKlaviyoOptions {
  /** Klaviyo public site key (6 letters or digits). A private key (`pk_…`) is refused. */
  siteKey: string;
  /** Name that keeps this storefront's queue, identity and limits apart. @default siteKey */
  tenant?: string;
  /** Base URL of Klaviyo's client API, or a first-party proxy path such as `/klaviyo`. @default 'https://a.klaviyo.com' */
  endpoint?: string;
  /** Klaviyo API revision header. @default '2026-07-15' */
  revision?: string;
  /** Per-tenant switch; false makes every call a no-op and stores nothing. @default true */
  enabled?: boolean;
  /** Log what the SDK does to the console (PII masked). @default false */
  debug?: boolean;
  /** Told about every refused call, repaired event, failed send and dead letter. Never throws into the SDK. */
  onError?: (info: ErrorInfo) => void;
  delivery?: DeliveryOptions;
  /**
   * A guest's events (no email, phone, external id or `_kx` yet): 'hold' keeps them until identify() and then sends
   * them on the buyer's profile with their original time; 'send' sends them at once under anonymous_id.
   * @default 'hold'
   */
  guestEvents?: 'hold' | 'send';
  /** How long held guest events wait for identify() before they are dropped (and counted). @default 14 days */
  guestHoldMs?: number;
  /** Per-tenant metric names, e.g. `{ 'Searched Site': 'Submitted Search' }`. @default the article's names */
  eventNames?: Partial<Record<StandardEvent, string>>;
  /**
   * Age past which an event is sent with `backfill: true` (recorded, no flows fired), by metric; '*' for the rest.
   * @default 1 h for Added to Cart and Started Checkout, 24 h for the others
   */
  staleAfterMs?: Record<string, number>;
  /**
   * 'pending': events are kept in the browser, nothing is sent and klaviyo.js is not loaded until setConsent(true);
   * setConsent(false) deletes them. @default 'granted'
   */
  consent?: 'granted' | 'pending';
  /** Treat the browser's Global Privacy Control signal as an opt-out until setConsent(true). @default true */
  respectGpc?: boolean;
  /** Load Klaviyo's onsite klaviyo.js (forms, Active on Site, cookies). @default true */
  onsite?: boolean;
  /** Origin that serves klaviyo.js. @default 'https://static.klaviyo.com' */
  onsiteHost?: string;
  /** CSP nonce for the injected klaviyo.js tag. @default the nonce of the SDK's own script tag */
  nonce?: string;
  /** Where queues live. @default IndexedDB via idb-keyval, in-memory where IndexedDB is missing */
  storage?: StorageFactory;
  /** Advanced and for tests: replace parts of the browser (fetch, clock, locks, random). */
  platform?: Partial<Platform>;
}

export type ResolvedDelivery = Required<DeliveryOptions>;

export interface ResolvedOptions {
  siteKey: string;
  tenant: string;
  endpoint: string;
  revision: string;
  enabled: boolean;
  debug: boolean;
  delivery: ResolvedDelivery;
  guestEvents: 'hold' | 'send';
  guestHoldMs: number;
  eventNames: Record<string, string>;
  staleAfterMs: Record<string, number>;
  onsite: boolean;
  onsiteHost: string;
  nonce?: string;
  consent: 'granted' | 'pending';
  respectGpc: boolean;
}

const DELIVERY_DEFAULTS: ResolvedDelivery = {
  ratePerSecond: 10,
  burst: 20,
  concurrency: 4,
  maxQueued: 1000,
  maxDeadLetters: 1000,
  maxAttempts: 10,
  maxAgeMs: 7 * 24 * 3600 * 1000,
  backoffBaseMs: 1000,
  backoffCapMs: 300_000,
  retryAfterCapMs: 600_000,
  rateLimitFloorMs: 5000,
};

/** Delivery options that count things: whole numbers (a burst under 1 would never free a token). */
const COUNTS = new Set(['burst', 'concurrency', 'maxQueued', 'maxDeadLetters', 'maxAttempts']);

const PUBLIC_KEY = /^[A-Za-z0-9]{6}$/;
const TENANT = /^[A-Za-z0-9._-]{1,64}$/;

/** Shows enough of a key to recognise it in a message, never enough to use it. */
export function maskKey(key: string): string {
  return key.length <= 4 ? '****' : `${key.slice(0, 3)}…(${key.length} chars)`;
}

/** A value starting with `pk_`, or a full private key (pk_ and 34 characters) inside a longer string such as a URL. */
export function looksLikePrivateKey(value: unknown): boolean {
  return typeof value === 'string' && /^\s*pk_|pk_[A-Za-z0-9]{30,}/i.test(value);
}

/** The dotted name of the first option, at any depth of plain objects and arrays, that holds a private key. */
function privateKeyOption(value: unknown, name: string, depth = 0): string | undefined {
  if (looksLikePrivateKey(value)) return name;
  if (depth > 3 || !value || typeof value !== 'object') return undefined;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return undefined; // a Window, a class
  for (const [key, inner] of Object.entries(value)) {
    const found = privateKeyOption(inner, name ? `${name}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Validates and fills defaults once, at the boundary; everything inside trusts the result. */
export function normalizeOptions(input: WizKlaviyoOptions, base = defaultBase()): ResolvedOptions {
  if (!input || typeof input !== 'object') {
    throw new WizKlaviyoError('invalid_option', { rule: 'object' });
  }
  // Anywhere in the options, nested ones (eventNames, a proxy URL) included: such a key must never reach a page.
  const leaked = privateKeyOption(input, '');
  if (leaked) {
    throw new WizKlaviyoError('private_key_refused', { option: leaked });
  }
  const siteKey = typeof input.siteKey === 'string' ? input.siteKey.trim() : '';
  if (!PUBLIC_KEY.test(siteKey)) {
    throw new WizKlaviyoError('invalid_site_key', { option: 'siteKey', got: describe(input.siteKey) });
  }
  const tenant = input.tenant === undefined ? siteKey : String(input.tenant).trim();
  if (!TENANT.test(tenant)) {
    throw new WizKlaviyoError('invalid_option', { option: 'tenant', rule: 'tenant' });
  }
  const eventNames = stringRecord(input.eventNames, 'eventNames');
  return {
    siteKey,
    tenant,
    endpoint: resolveEndpoint(input.endpoint, base),
    revision: resolveRevision(input.revision),
    enabled: input.enabled !== false,
    debug: input.debug === true,
    delivery: resolveDelivery(input.delivery),
    guestEvents: input.guestEvents === 'send' ? 'send' : 'hold',
    guestHoldMs: positive(input.guestHoldMs, 'guestHoldMs') ?? 14 * DAY,
    eventNames,
    staleAfterMs: staleAfter(eventNames, numberRecord(input.staleAfterMs, 'staleAfterMs')),
    onsite: input.onsite !== false,
    consent: input.consent === 'pending' ? 'pending' : 'granted',
    respectGpc: input.respectGpc !== false,

    onsiteHost: input.onsiteHost ? resolveEndpoint(input.onsiteHost, base) : DEFAULT_ONSITE_HOST,
    nonce: typeof input.nonce === 'string' && input.nonce !== '' ? input.nonce : undefined,
  };
}

/** Thresholds by the name sent: a renamed Added to Cart keeps its one hour unless the renamed one is given. */
function staleAfter(eventNames: Record<string, string>, given: Record<string, number>): Record<string, number> {
  const merged: Record<string, number> = { ...DEFAULT_STALE_AFTER_MS, ...given };
  for (const [standard, renamed] of Object.entries(eventNames)) {
    if (!hasOwn(given, renamed) && hasOwn(merged, standard)) merged[renamed] = merged[standard];
  }
  return merged;
}

export const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function positive(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new WizKlaviyoError('invalid_option', { option: name, rule: 'positive' });
  }
  return value;
}

function stringRecord(value: unknown, name: string): Record<string, string> {
  return checkedRecord(value, name, (v) => typeof v === 'string' && v.trim() !== '' && v.length < 128) as Record<
    string,
    string
  >;
}

function numberRecord(value: unknown, name: string): Record<string, number> {
  return checkedRecord(value, name, (v) => typeof v === 'number' && v > 0) as Record<string, number>;
}

function checkedRecord(value: unknown, name: string, valid: (v: unknown) => boolean): Record<string, unknown> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || !Object.values(value).every(valid)) {
    throw new WizKlaviyoError('invalid_option', { option: name, rule: 'kind' });
  }
  return { ...value };
}

function resolveEndpoint(endpoint: string | undefined, base: string | undefined): string {
  if (endpoint === undefined || endpoint === '') return DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(endpoint, base);
  } catch {
    throw new WizKlaviyoError('invalid_option', { option: 'endpoint', rule: 'url', got: endpoint });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WizKlaviyoError('invalid_option', { option: 'endpoint', rule: 'http' });
  }
  // fetch() refuses URLs with credentials: every send would fail as a network error, forever.
  if (url.username || url.password) {
    throw new WizKlaviyoError('invalid_option', { option: 'endpoint', rule: 'credentials' });
  }
  // Paths such as /client/events?company_id=… are appended to it.
  if (url.search || url.hash) {
    throw new WizKlaviyoError('invalid_option', { option: 'endpoint', rule: 'base' });
  }
  return url.href.replace(/\/+$/, '');
}

function resolveRevision(revision: string | undefined): string {
  if (revision === undefined) return DEFAULT_REVISION;
  if (!/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(revision)) {
    throw new WizKlaviyoError('invalid_option', { option: 'revision', rule: 'revision' });
  }
  return revision;
}

function resolveDelivery(delivery: DeliveryOptions | undefined): ResolvedDelivery {
  const resolved = { ...DELIVERY_DEFAULTS };
  for (const [name, value] of Object.entries(delivery ?? {})) {
    if (!(name in DELIVERY_DEFAULTS)) {
      throw new WizKlaviyoError('invalid_option', { option: name, rule: 'unknown', within: 'delivery' });
    }
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new WizKlaviyoError('invalid_option', { option: name, rule: 'positive', within: 'delivery' });
    }
    if (COUNTS.has(name) && !Number.isInteger(value)) {
      throw new WizKlaviyoError('invalid_option', { option: name, rule: 'whole', within: 'delivery' });
    }
    resolved[name as keyof ResolvedDelivery] = value;
  }
  return resolved;
}

function defaultBase(): string | undefined {
  return typeof document !== 'undefined' ? document.baseURI : undefined;
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  return value === '' ? 'an empty string' : `"${maskKey(value)}"`;
}
