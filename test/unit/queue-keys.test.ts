import { describe, expect, it } from 'vitest';
import { createKeyGenerator } from '../../src/delivery/queue';

describe('queue keys', () => {
  it('sort by time whether the monotonic clock gives whole milliseconds or fractions', () => {
    const key = createKeyGenerator('9d1e00d6-3913-4c2b-a1f0-000000000000');
    // Times of one page's monotonic clock (performance.now() has fractions of a millisecond).
    const times = [1796023970476.7, 1796023970480, 1796023970480.25, 1796023970512.1, 1796023971000];
    const keys = times.map((time) => key(time));
    expect([...keys].sort()).toEqual(keys);
    // The same shape as keys stored by 0.1.0 (whole Date.now() milliseconds): queues kept across the upgrade still sort.
    expect(keys[1].split('-')[0]).toBe((1796023970480).toString(36).padStart(9, '0'));
  });

  it('keep two tabs apart and one tab’s keys in order within a millisecond', () => {
    const a = createKeyGenerator('aaaa');
    const b = createKeyGenerator('bbbb');
    const first = a(1000.1);
    const second = a(1000.9);
    expect(first < second).toBe(true);
    expect(b(1000.1)).not.toBe(first);
  });
});
