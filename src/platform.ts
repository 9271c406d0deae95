import { browserStorage } from './web-storage.js';

/**
 * The outside world the SDK touches, injected so tests can control time, the network and cross-tab locks
 * without module mocks. Browser defaults are read lazily, at creation, never at import time.
 */
export interface Clock {
  /**
   * Milliseconds for timers, backoff, the rate limiter and ages: the wall time when the page started plus a monotonic
   * count since, so a page clock moved back, forward or frozen mid-page does not stall or flood sending.
   */
  now(): number;
  /** The wall clock (Date.now), for event times only. @default now */
  wall?(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The part of the Web Locks API the sender needs. */
export interface LockProvider {
  request(name: string, callback: () => Promise<void>): Promise<void>;
}

export interface Platform {
  fetch: typeof fetch;
  clock: Clock;
  /** In [0, 1); used for backoff jitter. */
  random(): number;
  /** A fresh RFC 4122 v4 UUID. */
  uuid(): string;
  /** Web Locks, when the browser has them; undefined selects the storage-lease fallback. */
  locks: LockProvider | undefined;
  /** Synchronous storage for the moment the page is left (rescue.ts); undefined where it is off. */
  localStorage: Storage | undefined;
  /** navigator.onLine: false means the browser knows it is offline. */
  online(): boolean;
  /** Where `online`, `pagehide` are heard; undefined outside a browser. */
  window: EventTarget | undefined;
  /** Where `visibilitychange` is heard and `visibilityState` read. */
  document: (EventTarget & { visibilityState?: string }) | undefined;
}

export function browserPlatform(overrides: Partial<Platform> = {}): Platform {
  const g = globalThis as typeof globalThis & { navigator?: Navigator };
  const nativeLocks = g.navigator && 'locks' in g.navigator ? g.navigator.locks : undefined;
  return {
    fetch: (input, init) => g.fetch(input, init),
    clock: {
      now: monotonicClock(),
      wall: () => Date.now(),
      setTimeout: (fn, ms) => g.setTimeout(fn, ms),
      clearTimeout: (handle) => g.clearTimeout(handle as number),
    },
    random: Math.random,
    online: () => g.navigator?.onLine !== false,
    localStorage: browserStorage('localStorage'),

    uuid: randomUuid,
    locks: nativeLocks
      ? { request: async (name, callback) => void (await nativeLocks.request(name, callback)) }
      : undefined,
    window: typeof window === 'undefined' ? undefined : window,
    document: typeof document === 'undefined' ? undefined : document,
    ...overrides,
  };
}

/** How far the wall clock may run ahead of the monotonic count before it is taken for a sleep to catch up on. */
const SLEEP_GAP_MS = 30_000;

/**
 * Counts on from the wall time at start with performance.now(), which no page script can move; Date.now() where it
 * is missing. performance.now() stands still while the computer sleeps (Chromium on macOS and Linux), so a wall clock
 * found more than 30 s ahead is caught up with: tabs opened before and after a sleep then agree on the times they
 * share (a 429 pause, a backoff, the rate limit). A wall clock moved back is never followed, and `wall` is the
 * Date.now of the moment the clock is made: a page script that replaces Date.now later is not heard.
 */
export function monotonicClock(
  wall: () => number = Date.now,
  perf: { now(): number } | undefined = globalThis.performance,
): () => number {
  if (!perf || typeof perf.now !== 'function') return () => wall();
  let origin = wall() - perf.now();
  return () => {
    const ahead = wall() - (origin + perf.now());
    if (ahead > SLEEP_GAP_MS) origin += ahead;
    return origin + perf.now();
  };
}

/** A version 4 UUID, from crypto where the browser has it. */
export function randomUuid(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
