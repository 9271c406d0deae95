import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/delivery/rate-limit';

/** A bucket on a clock the test moves by hand. */
function bucket(ratePerSecond: number, burst: number) {
  let now = 1_000_000;
  const limiter = createTokenBucket(ratePerSecond, burst, () => now);
  return { take: () => limiter.take(), advance: (ms: number) => void (now += ms) };
}

describe('token bucket', () => {
  it('allows a burst at once, then says how long to wait', () => {
    const { take } = bucket(10, 3);
    expect([take(), take(), take()]).toEqual([0, 0, 0]);
    expect(take()).toBe(100);
  });

  it('takes nothing when it answers with a wait', () => {
    const { take, advance } = bucket(10, 1);
    take();
    expect(take()).toBe(100);
    expect(take()).toBe(100);
    advance(100);
    expect(take()).toBe(0);
  });

  it('refills at the steady rate after the burst', () => {
    const { take, advance } = bucket(2, 2);
    take();
    take();
    expect(take()).toBe(500);
    advance(499);
    const rest = take(); // 1 ms, give or take floating-point rounding up
    expect(rest).toBeGreaterThanOrEqual(1);
    expect(rest).toBeLessThanOrEqual(2);
    advance(rest);
    expect(take()).toBe(0);
    expect(take()).toBeGreaterThan(495);
  });

  it('sends at most burst + rate × seconds over a stretch of time', () => {
    const { take, advance } = bucket(5, 10);
    let sent = 0;
    for (let ms = 0; ms < 10_000; ms += 10) {
      while (take() === 0) sent++;
      advance(10);
    }
    // 10 at once, then 5 per second for the 10 s (the last 10 ms step is not taken).
    expect(sent).toBe(10 + 5 * 10 - 1);
  });

  it('never stores more than the burst, however long it sat idle', () => {
    const { take, advance } = bucket(10, 3);
    advance(3_600_000);
    expect([take(), take(), take(), take()]).toEqual([0, 0, 0, 100]);
  });

  it('rounds a fractional wait up, so waiting that long always frees a token', () => {
    const { take, advance } = bucket(3, 1);
    take();
    const wait = take();
    expect(wait).toBe(334);
    advance(wait);
    expect(take()).toBe(0);
  });
});

describe('a token bucket kept in localStorage', () => {
  it('is one bucket for every tab and page of the store: a reload does not bring a fresh burst', () => {
    const now = 1_000_000;
    const shared = { storage: localStorage, key: 'wiz-klaviyo:AbC123:rate' };
    localStorage.removeItem(shared.key);
    const firstPage = createTokenBucket(10, 3, () => now, shared);
    expect([firstPage.take(), firstPage.take()]).toEqual([0, 0]);
    const reloaded = createTokenBucket(10, 3, () => now, shared);
    const otherTab = createTokenBucket(10, 3, () => now, shared);
    expect(reloaded.take()).toBe(0);
    expect(otherTab.take()).toBe(100);
    localStorage.removeItem(shared.key);
  });

  it('is not refilled for another page whose clock runs behind the last writer’s', () => {
    const shared = { storage: localStorage, key: 'wiz-klaviyo:AbC123:rate' };
    localStorage.removeItem(shared.key);
    const ahead = createTokenBucket(10, 3, () => 1_000_000, shared);
    expect([ahead.take(), ahead.take(), ahead.take()]).toEqual([0, 0, 0]);
    const behind = createTokenBucket(10, 3, () => 999_000, shared);
    expect(behind.take()).toBe(100);
    localStorage.removeItem(shared.key);
  });
});
