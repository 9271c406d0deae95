/**
 * A token bucket: `burst` sends at once, then `ratePerSecond` steady. Klaviyo's client-event limits
 * (350/s burst, 3500/min steady) are per account and shared by every shopper, so one browser stays far below.
 */
export interface RateLimiter {
  /** Takes a token and returns 0, or returns how many ms until one is free (taking nothing). */
  take(): number;
}

export function createTokenBucket(ratePerSecond: number, burst: number, now: () => number): RateLimiter {
  let tokens = burst;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * ratePerSecond);
      last = t;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - tokens) / ratePerSecond) * 1000);
    },
  };
}
