import { readJson, writeJson } from '../web-storage.js';

/**
 * A token bucket: `burst` sends at once, then `ratePerSecond` steady. Klaviyo's client-event limits
 * (350/s burst, 3500/min steady) are per account and shared by every shopper, so one browser stays far below.
 */
export interface RateLimiter {
  /** Takes a token and returns 0, or returns how many ms until one is free (taking nothing). */
  take(): number;
}

export function createTokenBucket(
  ratePerSecond: number,
  burst: number,
  now: () => number,
  /**
   * Where every tab and page of the store keeps the bucket (localStorage): a reload or a closing tab's last sends
   * draw on the same tokens instead of starting from a full burst. Without it, the bucket is this page's own.
   */
  shared?: { storage: Storage | undefined; key: string },
): RateLimiter {
  let tokens = burst;
  let last = now();
  return {
    take() {
      const t = now();
      const stored = readJson(shared?.storage, shared?.key ?? '') as Partial<Bucket> | undefined;
      if (typeof stored?.tokens === 'number' && typeof stored.at === 'number') {
        tokens = stored.tokens;
        last = stored.at;
      }
      // Each page counts time from its own start: another page's time may be a little ahead of this one's, and then
      // nothing has refilled yet (never a negative refill).
      tokens = Math.min(burst, tokens + (Math.max(0, t - last) / 1000) * ratePerSecond);
      last = t;
      const wait = tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / ratePerSecond) * 1000);
      if (wait === 0) tokens -= 1;
      if (shared) writeJson(shared.storage, shared.key, { tokens, at: t } satisfies Bucket);
      return wait;
    },
  };
}

type Bucket = { tokens: number; at: number };
