import { describe, expect, it } from 'vitest';
import { browserPlatform, monotonicClock } from '../../src/platform';

const HOUR = 3600_000;

/** A wall clock and a performance.now() the test moves by hand. */
function clocks(start: number) {
  const time = { wall: start, perf: 1000 };
  const now = monotonicClock(() => time.wall, { now: () => time.perf });
  const pass = (ms: number) => {
    time.wall += ms;
    time.perf += ms;
  };
  return { time, now, pass };
}

describe('the monotonic clock', () => {
  it('counts on with performance.now() from the wall time it started at', () => {
    const { now, pass } = clocks(1_000_000);
    expect(now()).toBe(1_000_000);
    pass(1500);
    expect(now()).toBe(1_001_500);
  });

  it('catches up with a computer that slept, so tabs opened before and after it agree', () => {
    const before = clocks(1_000_000);
    before.pass(5000);
    // Eight hours of sleep: the wall clock moves on, performance.now() stands still.
    before.time.wall += 8 * HOUR;
    const after = clocks(before.time.wall); // a tab opened after the sleep
    expect(before.now()).toBe(after.now());
    before.pass(2000);
    after.pass(2000);
    expect(before.now()).toBe(after.now());
  });

  it('does not follow a wall clock moved back, frozen, or a few seconds ahead', () => {
    const { time, now, pass } = clocks(1_000_000);
    time.wall -= 2 * 60_000; // moved back two minutes
    pass(1000);
    expect(now()).toBe(1_001_000);
    const frozenAt = time.wall;
    time.perf += 10_000; // the wall clock frozen while ten seconds pass
    time.wall = frozenAt;
    expect(now()).toBe(1_011_000);
    time.wall = frozenAt + 2 * 60_000 + 10_000 + 20_000; // 20 s ahead: drift, not a sleep
    expect(now()).toBe(1_011_000);
  });

  it('is not moved by a page script that replaces Date.now() after the SDK started', () => {
    const realNow = Date.now;
    const platform = browserPlatform();
    const started = platform.clock.now();
    try {
      Date.now = () => realNow() + 8 * HOUR;
      expect(platform.clock.now() - started).toBeLessThan(HOUR);
    } finally {
      Date.now = realNow;
    }
  });
});
