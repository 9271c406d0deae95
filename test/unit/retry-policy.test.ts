import { describe, expect, it } from 'vitest';
import {
  decide,
  parseRetryAfter,
  type AttemptHistory,
  type RetryTiming,
  type SendOutcome,
} from '../../src/delivery/retry-policy';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const timing: RetryTiming = {
  maxAttempts: 3,
  maxAgeMs: 7 * 24 * 3600_000,
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
  retryAfterCapMs: 600_000,
  rateLimitFloorMs: 5000,
};
const fresh: AttemptHistory = { failures: 0, serverFailures: 0, queuedAt: NOW };

const answer = (status: number, retryAfter: string | null = null): SendOutcome => ({
  kind: 'response',
  status,
  retryAfter,
});
const network: SendOutcome = { kind: 'network', message: 'Failed to fetch' };

describe('decide', () => {
  it.each([200, 202, 204])('calls a %i delivered', (status) => {
    expect(decide(answer(status), fresh, timing, NOW, 0.5)).toEqual({ action: 'delivered' });
  });

  it.each([408, 429, 500, 502, 503, 504])('retries a %i as a server failure', (status) => {
    expect(decide(answer(status), fresh, timing, NOW, 0.5)).toMatchObject({ action: 'retry', failure: 'server' });
  });

  it('retries a network failure as a network failure that does not pause the tenant', () => {
    expect(decide(network, fresh, timing, NOW, 0.5)).toMatchObject({
      action: 'retry',
      failure: 'network',
      pauseTenant: false,
      detail: 'Failed to fetch',
    });
  });

  it.each([400, 401, 403, 404, 409, 413, 422])(
    'dead-letters a %i as rejected, keeping the status and detail',
    (status) => {
      const outcome: SendOutcome = { kind: 'response', status, retryAfter: null, detail: 'HTTP 400: bad metric' };
      expect(decide(outcome, fresh, timing, NOW, 0.5)).toEqual({
        action: 'dead',
        code: 'rejected',
        status,
        detail: 'HTTP 400: bad metric',
      });
    },
  );

  it.each([
    ['/data/attributes/profile/data/attributes/phone_number', ['phone_number']],
    ['/data/attributes/phone_number', ['phone_number']],
    ['/data/attributes/profile/data/attributes/email', ['email']],
  ])('asks to drop the identifier a 400 points at (%s)', (pointer, fields) => {
    const outcome: SendOutcome = {
      kind: 'response',
      status: 400,
      retryAfter: null,
      detail: 'HTTP 400: Invalid phone number',
      pointers: [pointer],
    };
    expect(decide(outcome, fresh, timing, NOW, 0.5)).toEqual({
      action: 'drop-identifiers',
      fields,
      status: 400,
      detail: 'HTTP 400: Invalid phone number',
    });
  });

  it('dead-letters a 400 pointing at anything else, and a 403 pointing at an identifier', () => {
    const at = (status: number, pointer: string): SendOutcome => ({
      kind: 'response',
      status,
      retryAfter: null,
      detail: 'x',
      pointers: [pointer],
    });
    expect(decide(at(400, '/data/attributes/properties'), fresh, timing, NOW, 0.5)).toMatchObject({
      action: 'dead',
      code: 'rejected',
    });
    expect(
      decide(at(400, '/data/attributes/profile/data/attributes/phone_numbers'), fresh, timing, NOW, 0.5),
    ).toMatchObject({ action: 'dead' });
    expect(decide(at(403, '/data/attributes/phone_number'), fresh, timing, NOW, 0.5)).toMatchObject({
      action: 'dead',
      code: 'rejected',
    });
  });

  it('pauses the tenant on a 429 only', () => {
    expect(decide(answer(429), fresh, timing, NOW, 0.5)).toMatchObject({ pauseTenant: true });
    expect(decide(answer(503), fresh, timing, NOW, 0.5)).toMatchObject({ pauseTenant: false });
  });

  it('gives up with retries_exhausted on the maxAttempts-th failed server answer, not before', () => {
    expect(decide(answer(500), { ...fresh, failures: 1, serverFailures: 1 }, timing, NOW, 0.5).action).toBe('retry');
    expect(decide(answer(500), { ...fresh, failures: 2, serverFailures: 2 }, timing, NOW, 0.5)).toMatchObject({
      action: 'dead',
      code: 'retries_exhausted',
      status: 500,
    });
  });

  it('never gives up on a 429 for attempts: Klaviyo said "later", only maxAgeMs ends it', () => {
    const manyBefore: AttemptHistory = { ...fresh, failures: 40, serverFailures: 40 };
    expect(decide(answer(429, '1'), manyBefore, timing, NOW, 0.5)).toMatchObject({
      action: 'retry',
      pauseTenant: true,
    });
    const old: AttemptHistory = { ...manyBefore, queuedAt: NOW - timing.maxAgeMs };
    expect(decide(answer(429, '1'), old, timing, NOW, 0.5)).toMatchObject({ action: 'dead', code: 'expired' });
  });

  it('does not count network failures toward maxAttempts', () => {
    const offlineLong: AttemptHistory = { failures: 50, serverFailures: 0, queuedAt: NOW };
    expect(decide(network, offlineLong, timing, NOW, 0.5).action).toBe('retry');
    // Many network failures, then the first server failure: still one of three allowed.
    expect(decide(answer(503), offlineLong, timing, NOW, 0.5).action).toBe('retry');
  });

  it('dead-letters as expired a retryable failure of an event older than maxAgeMs', () => {
    const old: AttemptHistory = { ...fresh, queuedAt: NOW - timing.maxAgeMs };
    expect(decide(network, old, timing, NOW, 0.5)).toMatchObject({ action: 'dead', code: 'expired' });
    expect(decide(answer(503), old, timing, NOW, 0.5)).toMatchObject({ action: 'dead', code: 'expired', status: 503 });
    expect(decide(answer(503), { ...old, queuedAt: old.queuedAt + 1 }, timing, NOW, 0.5).action).toBe('retry');
  });

  it('still delivers an old event that Klaviyo accepts', () => {
    expect(decide(answer(202), { ...fresh, queuedAt: 0 }, timing, NOW, 0.5)).toEqual({ action: 'delivered' });
  });

  describe('backoff', () => {
    /** The delay after `failures` earlier failures of the same kind as `outcome`'s (429s: maxAttempts is not hit). */
    const delay = (failures: number, random: number, outcome: SendOutcome = answer(429)) => {
      const networkFailures = outcome.kind === 'network' ? failures : 0;
      const history = { failures, serverFailures: 0, networkFailures, queuedAt: NOW };
      const decision = decide(outcome, history, { ...timing, rateLimitFloorMs: 0 }, NOW, random);
      if (decision.action !== 'retry') throw new Error(`expected a retry, got ${decision.action}`);
      return decision.delayMs;
    };

    it('is 0 when the random draw is 0 (full jitter)', () => {
      expect(delay(0, 0)).toBe(0);
      expect(delay(5, 0)).toBe(0);
    });

    it('stays just under base × 2^failures when the random draw is almost 1', () => {
      expect(delay(0, 0.999_999)).toBe(999);
      expect(delay(3, 0.999_999)).toBe(7999);
    });

    it('doubles its upper bound with each failure', () => {
      expect([0, 1, 2, 3].map((failures) => delay(failures, 0.5))).toEqual([500, 1000, 2000, 4000]);
    });

    it('is capped at backoffCapMs however many failures there were', () => {
      expect(delay(10, 0.999_999)).toBeLessThan(timing.backoffCapMs);
      expect(delay(10, 0.999_999)).toBeGreaterThan(timing.backoffCapMs - 100);
      expect(delay(2000, 0.999_999)).toBeLessThan(timing.backoffCapMs);
    });

    it('applies to network failures too', () => {
      expect(delay(2, 0.5, network)).toBe(2000);
    });

    it('grows with failures of its own kind only: an offline spell does not lengthen the first 500 after it', () => {
      const afterSpell = { failures: 6, serverFailures: 0, networkFailures: 6, queuedAt: NOW };
      expect(decide(answer(500), afterSpell, timing, NOW, 0.5)).toMatchObject({ action: 'retry', delayMs: 500 });
      expect(decide(network, afterSpell, timing, NOW, 0.5)).toMatchObject({ action: 'retry', delayMs: 30_000 });
      const afterOutage = { failures: 2, serverFailures: 2, networkFailures: 0, queuedAt: NOW };
      expect(decide(network, afterOutage, timing, NOW, 0.5)).toMatchObject({ action: 'retry', delayMs: 500 });
    });
  });

  describe('Retry-After', () => {
    const retry = (outcome: SendOutcome, random = 0.5) =>
      decide(outcome, { ...fresh, failures: 4 }, timing, NOW, random);

    it('in seconds wins over backoff, without jitter', () => {
      expect(retry(answer(503, '30'), 0)).toMatchObject({ action: 'retry', delayMs: 30_000 });
      expect(retry(answer(503, '30'), 0.999)).toMatchObject({ action: 'retry', delayMs: 30_000 });
    });

    it('as an HTTP date wins, measured from now', () => {
      const inTwoMinutes = new Date(NOW + 120_000).toUTCString();
      expect(retry(answer(429, inTwoMinutes), 0)).toMatchObject({
        action: 'retry',
        delayMs: 120_000,
        pauseTenant: true,
      });
    });

    it('is capped at retryAfterCapMs, as seconds and as a date', () => {
      expect(retry(answer(429, '86400'))).toMatchObject({ delayMs: timing.retryAfterCapMs });
      expect(retry(answer(503, new Date(NOW + 48 * 3600_000).toUTCString()))).toMatchObject({
        delayMs: timing.retryAfterCapMs,
      });
    });

    it('on a 429 that cannot be read falls back to backoff, but no less than the floor', () => {
      expect(retry(answer(429, null), 0)).toMatchObject({
        action: 'retry',
        delayMs: timing.rateLimitFloorMs,
        pauseTenant: true,
      });
      expect(retry(answer(429, 'soon'), 0)).toMatchObject({ delayMs: timing.rateLimitFloorMs });
      // backoff after 4 failures is up to 16 s, above the floor: the backoff is kept.
      expect(retry(answer(429, null), 0.5)).toMatchObject({ delayMs: 8000 });
    });

    it('on a 429 that says zero, or a date already past (a wrong browser clock), still waits the floor', () => {
      expect(retry(answer(429, '0'), 0)).toMatchObject({ delayMs: timing.rateLimitFloorMs, pauseTenant: true });
      expect(retry(answer(429, new Date(NOW - 3600_000).toUTCString()), 0)).toMatchObject({
        delayMs: timing.rateLimitFloorMs,
      });
    });

    it('that cannot be read on a 503 leaves plain backoff, without the 429 floor', () => {
      expect(retry(answer(503, 'soon'), 0)).toMatchObject({ action: 'retry', delayMs: 0 });
    });
  });
});

describe('parseRetryAfter', () => {
  const CAP = 600_000;

  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 7 ', 7000],
    ['1.5', 1500],
  ])('reads %j seconds as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW, CAP)).toBe(ms);
  });

  it('reads an IMF-fixdate as the ms until then', () => {
    expect(parseRetryAfter(new Date(NOW + 45_000).toUTCString(), NOW, CAP)).toBe(45_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:00 GMT', NOW, CAP)).toBe(60_000);
  });

  it('reads a date in the past as 0', () => {
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW, CAP)).toBe(0);
  });

  it('caps what it reads', () => {
    expect(parseRetryAfter('3600', NOW, CAP)).toBe(CAP);
  });

  it.each([null, '', '   ', 'soon', '5 apples', '-5', '+5', '1e3', 'abc 2', 'later 99', '1.5.3'])(
    'calls %j unreadable',
    (value) => {
      expect(parseRetryAfter(value, NOW, CAP)).toBeUndefined();
    },
  );
});
