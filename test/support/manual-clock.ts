import type { Clock } from '../../src/platform';

export interface ManualClock extends Clock {
  /** Moves time forward, firing every timer that falls due, in time order. */
  advance(ms: number): void;
  /** Timers still waiting, as ms from now. */
  pending(): number[];
}

/** A clock the test moves by hand, so retry and backoff timing is tested without waiting. */
export function createManualClock(start = Date.UTC(2026, 10, 28, 12, 0, 0)): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      // Zero-delay timers are how the SDK batches within a task; run them without the test having to.
      if (ms <= 0) queueMicrotask(() => fire(id));
      return id;
    },
    clearTimeout(id) {
      timers.delete(id as number);
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        now = Math.max(now, due[1].at);
        fire(due[0]);
      }
      now = target;
    },
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
  };

  function fire(id: number): void {
    const timer = timers.get(id);
    if (!timer) return;
    timers.delete(id);
    timer.fn();
  }
}
