import { settle } from '../support/harness';
import { describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../support/manual-clock';
import { invalidInput } from '../support/klaviyo-mock';
import { idOf, useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();

// The harness draws 0.5 for jitter, so the first backoff is half of backoffBaseMs (1000): 500 ms, then 1000 ms.
const FIRST_BACKOFF = 500;

const waitForEvents = (count: number) => vi.waitFor(() => expect(klaviyo.events()).toHaveLength(count));
const waitForDelivered = (ids: string[]) => vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual(ids));

/** Waits until the sender sleeps on the manual clock, with a timer due in `ms`: nothing more happens until it moves. */
const waitForTimer = (clock: ManualClock, ms: number) => vi.waitFor(() => expect(clock.pending()).toContain(ms));

/**
 * flush() resolves once a pass, queued behind the one under way, has run: after it, nothing is in flight. It sends
 * only what is due (or failed on the network), so it is also how a test checks that nothing was due yet.
 */
const settled = settle;

describe('delivery to Klaviyo', () => {
  it('sends a tracked event to /client/events with the site key, revision and JSON:API content type', async () => {
    const { client } = make();
    const result = await client.track('Viewed Product', { ProductName: 'Linen Shirt', Price: 49 });
    expect(result.ok).toBe(true);
    await waitForEvents(1);
    const [request] = klaviyo.events();
    expect(request.url.searchParams.get('company_id')).toBe('AbC123');
    expect(request.headers.get('revision')).toBe('2026-07-15');
    expect(request.headers.get('content-type')).toBe('application/vnd.api+json');
    const attributes = request.body.data.attributes;
    expect(attributes.metric.data.attributes.name).toBe('Viewed Product');
    expect(attributes.properties).toEqual({ ProductName: 'Linen Shirt', Price: 49 });
    expect(attributes.unique_id).toBe(result.ok && result.uniqueId);
    expect(attributes.profile.data.attributes.anonymous_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts a delivered event in status() and empties the queue', async () => {
    const { client } = make();
    await client.track('Viewed Product', {});
    await waitForEvents(1);
    await settled(client);
    expect(await client.status()).toMatchObject({
      queued: 0,
      sent: 1,
      deadLettered: 0,
      klaviyoApi: 'reachable',
      lastError: null,
    });
  });
});

describe('retries', () => {
  it('retries a 500 once the backoff has elapsed, not before, and delivers it once', async () => {
    klaviyo.queueAnswers(500);
    const { client, clock, codes } = make();
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForEvents(1);
    await settled(client);
    expect(await client.status()).toMatchObject({ queued: 1, sent: 0 });
    expect(codes()).toEqual(['send_failed']);

    clock.advance(FIRST_BACKOFF - 1);
    await settled(client);
    expect(klaviyo.events()).toHaveLength(1);

    clock.advance(1);
    await waitForDelivered([id]);
    await settled(client);
    expect(klaviyo.uniqueIds()).toEqual([id, id]);
    expect(await client.status()).toMatchObject({ queued: 0, sent: 1, deadLettered: 0 });
  });

  it.each([408, 429, 502, 503, 504])('retries a %i and then delivers', async (status) => {
    klaviyo.queueAnswers(status);
    const { client, clock } = make();
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForEvents(1);
    await settled(client);
    clock.advance(10_000); // past the backoff and past the 429 floor
    await waitForDelivered([id]);
  });

  it('retries a network failure once the backoff has elapsed', async () => {
    klaviyo.queueAnswers('network');
    const { client, clock, codes } = make({ platform: { online: () => true } });
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForTimer(clock, FIRST_BACKOFF);
    expect(klaviyo.received).toHaveLength(1);
    expect(codes()).toEqual(['send_failed']);
    // Failing before any answer while online looks like an ad blocker or a firewall.
    expect(await client.status()).toMatchObject({ queued: 1, klaviyoApi: 'blocked' });

    clock.advance(FIRST_BACKOFF - 1);
    await settle(client); // a pass has run: had the retry been due, it would have gone
    expect(klaviyo.received).toHaveLength(1);
    clock.advance(1);
    await waitForDelivered([id]);
    expect(await client.status()).toMatchObject({ klaviyoApi: 'reachable' });
  });

  it('flush() retries a network failure at once, without waiting for the backoff', async () => {
    klaviyo.queueAnswers('network');
    const { client, clock } = make();
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForTimer(clock, FIRST_BACKOFF);
    expect(await client.flush()).toEqual({ sent: 1, retried: 0, deadLettered: 0 });
    expect(klaviyo.deliveredIds()).toEqual([id]);
  });

  it('flush() ends a server failure’s backoff: the outage it grew in may be over', async () => {
    klaviyo.queueAnswers(503);
    const { client } = make({ delivery: { backoffBaseMs: 60_000 } });
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForEvents(1);
    await settle(client);
    expect(klaviyo.deliveredIds()).toEqual([]); // still waiting out its backoff
    expect(await client.flush()).toEqual({ sent: 1, retried: 0, deadLettered: 0 });
    expect(klaviyo.deliveredIds()).toEqual([id]);
  });

  it('flush() does not cut short a wait Klaviyo asked for with Retry-After', async () => {
    klaviyo.queueAnswers({ status: 503, headers: { 'Retry-After': '30' } });
    const { client } = make();
    await client.track('Viewed Product', {});
    await waitForEvents(1);
    expect(await client.flush()).toEqual({ sent: 0, retried: 0, deadLettered: 0 });
    expect(klaviyo.events()).toHaveLength(1);
  });

  it('backs off a 500 after an offline spell from its first step, not from where the spell left it', async () => {
    klaviyo.queueAnswers('network', 'network', 'network', 'network', 500);
    const { client, clock } = make();
    await client.track('Viewed Product', {});
    for (const wait of [500, 1000, 2000, 4000]) {
      await waitForTimer(clock, wait);
      clock.advance(wait);
    }
    await waitForEvents(5);
    // Before, the fifth failure waited up to 16 s (base × 2^4); the server's first failure waits its first step.
    await waitForTimer(clock, FIRST_BACKOFF);
  });

  it('reuses the unique_id and time of the event on every retry', async () => {
    klaviyo.queueAnswers(503, 'network');
    const { client, clock } = make();
    const id = idOf(await client.track('Added to Cart', { AddedItemProductName: 'Linen Shirt' }));
    await waitForTimer(clock, FIRST_BACKOFF);
    clock.advance(FIRST_BACKOFF);
    // A network failure after a server one: each kind backs off from its own first step.
    await waitForTimer(clock, FIRST_BACKOFF);
    clock.advance(FIRST_BACKOFF);
    await waitForDelivered([id]);
    const attempts = klaviyo.events().map((r) => r.body.data.attributes);
    expect(attempts).toHaveLength(3);
    expect(attempts.map((a) => a.unique_id)).toEqual([id, id, id]);
    expect(new Set(attempts.map((a) => a.time)).size).toBe(1);
  });

  it('dead-letters an event after maxAttempts failed answers, with the last status', async () => {
    klaviyo.setFallback(500);
    const { client, clock, codes } = make({ delivery: { maxAttempts: 2 } });
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForTimer(clock, FIRST_BACKOFF);
    clock.advance(FIRST_BACKOFF);
    await vi.waitFor(async () => expect(await client.deadLetters.list()).toHaveLength(1));
    const [letter] = await client.deadLetters.list();
    expect(letter.reason).toMatchObject({ code: 'retries_exhausted', status: 500 });
    expect(letter.record.payload).toMatchObject({ uniqueId: id });
    expect(klaviyo.events()).toHaveLength(2);
    expect(codes()).toEqual(['send_failed', 'dead_lettered']);
  });
});

describe('a 429 spell', () => {
  it('does not use up maxAttempts: the event waits each Retry-After out and is delivered, not dead-lettered', async () => {
    const throttled = { status: 429, headers: { 'Retry-After': '1' } };
    klaviyo.queueAnswers(throttled, throttled, throttled, throttled);
    const { client, clock, codes } = make({ delivery: { maxAttempts: 2 } });
    const id = idOf(await client.track('Viewed Product', {}));
    for (let i = 0; i < 4; i++) {
      await waitForTimer(clock, 1000);
      clock.advance(1000);
    }
    await waitForDelivered([id]);
    expect(await client.deadLetters.list()).toEqual([]);
    expect(codes().filter((code) => code === 'dead_lettered')).toEqual([]);
  });
});

describe('a page clock Klaviyo refuses', () => {
  it('resends the event without its time (Klaviyo then uses its own) instead of dead-lettering it', async () => {
    klaviyo.queueAnswers(invalidInput('Time can only be up to 1 year in the future.', '/data/attributes/time'));
    const { client, codes } = make();
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForDelivered([id]);
    const [refused, resent] = klaviyo.events();
    expect(refused.body.data.attributes.time).toEqual(expect.any(String));
    expect(resent.body.data.attributes).not.toHaveProperty('time');
    expect(resent.body.data.attributes.unique_id).toBe(id);
    expect(await client.deadLetters.list()).toEqual([]);
    expect(codes()).toEqual(['event_repaired']);
  });
});

describe('rejections and dead letters', () => {
  const klaviyoError = {
    status: 400,
    body: {
      errors: [
        {
          id: '4a6b2e1c',
          status: 400,
          code: 'invalid',
          title: 'Invalid input.',
          detail: "'metric' is a required field for this request.",
          source: { pointer: '/data/attributes/metric' },
        },
      ],
    },
  };

  it("dead-letters a 400 at once, keeping Klaviyo's detail, and status() counts it", async () => {
    klaviyo.queueAnswers(klaviyoError);
    const { client, clock, errors } = make();
    const id = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    await vi.waitFor(async () => expect(await client.deadLetters.list()).toHaveLength(1));
    const [letter] = await client.deadLetters.list();
    expect(letter.reason).toMatchObject({ code: 'rejected', status: 400 });
    expect(letter.reason.detail).toContain("'metric' is a required field for this request.");
    expect(letter.reason.detail).toContain('/data/attributes/metric');
    expect(letter.record.payload).toMatchObject({ uniqueId: id, properties: { ProductName: 'Linen Shirt' } });
    expect(await client.status()).toMatchObject({
      queued: 0,
      deadLettered: 1,
      sent: 0,
      lastError: { code: 'dead_lettered' },
    });
    expect(errors.map((e) => [e.error.code, e.event?.uniqueId])).toEqual([['dead_lettered', id]]);

    clock.advance(3600_000); // a rejection is final: no retry, however long we wait
    await settled(client);
    expect(klaviyo.events()).toHaveLength(1);
  });

  it('replays a dead letter with the same unique_id and a fresh retry budget', async () => {
    klaviyo.queueAnswers(klaviyoError);
    const { client } = make();
    const id = idOf(await client.track('Viewed Product', {}));
    await vi.waitFor(async () => expect(await client.deadLetters.list()).toHaveLength(1));
    expect(await client.deadLetters.replay()).toBe(1);
    await waitForDelivered([id]);
    await settled(client);
    expect(await client.deadLetters.list()).toEqual([]);
    expect(await client.status()).toMatchObject({ queued: 0, deadLettered: 0, sent: 1 });
  });

  it('replays only the letters asked for, and clear() deletes the rest', async () => {
    klaviyo.queueAnswers(400, 400);
    const { client } = make({ delivery: { concurrency: 1 } });
    const first = idOf(await client.track('Viewed Product', { n: 1 }));
    const second = idOf(await client.track('Viewed Product', { n: 2 }));
    await vi.waitFor(async () => expect(await client.deadLetters.list()).toHaveLength(2));
    const letters = await client.deadLetters.list();
    expect(letters.map((l) => l.record.payload.kind === 'event' && l.record.payload.uniqueId)).toEqual([first, second]);

    expect(await client.deadLetters.replay([letters[1].key])).toBe(1);
    await waitForDelivered([second]);
    expect((await client.deadLetters.list()).map((l) => l.key)).toEqual([letters[0].key]);

    expect(await client.deadLetters.clear()).toBe(1);
    expect(await client.deadLetters.list()).toEqual([]);
    expect(await client.status()).toMatchObject({ deadLettered: 0, queued: 0 });
    expect(klaviyo.deliveredIds()).toEqual([second]);
  });
});

describe('Retry-After and 429', () => {
  it('waits exactly as long as Retry-After says, then sends at once', async () => {
    klaviyo.queueAnswers({ status: 503, headers: { 'Retry-After': '30' } });
    const { client, clock } = make();
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForEvents(1);
    await settled(client);
    clock.advance(29_999);
    await settled(client);
    expect(klaviyo.events()).toHaveLength(1);
    clock.advance(1);
    await waitForDelivered([id]);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const { client, clock } = make();
    klaviyo.queueAnswers({ status: 429, headers: { 'Retry-After': new Date(clock.now() + 60_000).toUTCString() } });
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForEvents(1);
    await settled(client);
    clock.advance(59_999);
    await settled(client);
    expect(klaviyo.events()).toHaveLength(1);
    clock.advance(1);
    await waitForDelivered([id]);
  });

  it('pauses the whole tenant on a 429: a second event waits too, and flush() does not cut the pause short', async () => {
    klaviyo.queueAnswers({ status: 429, headers: { 'Retry-After': '20' } });
    const { client, clock, codes } = make();
    const start = clock.now();
    const first = idOf(await client.track('Viewed Product', { n: 1 }));
    await waitForEvents(1);
    await settled(client);
    expect((await client.status()).pausedUntil).toBe(new Date(start + 20_000).toISOString());
    expect(codes()).toEqual(['rate_limited']);

    const second = idOf(await client.track('Viewed Product', { n: 2 }));
    expect(await client.flush()).toEqual({ sent: 0, retried: 0, deadLettered: 0 });
    clock.advance(19_999);
    expect(await client.flush()).toEqual({ sent: 0, retried: 0, deadLettered: 0 });
    expect(klaviyo.events()).toHaveLength(1);
    expect(await client.status()).toMatchObject({ queued: 2 });

    clock.advance(1);
    await waitForDelivered([first, second]);
    expect(await client.status()).toMatchObject({ pausedUntil: null, queued: 0 });
  });

  it('waits at least the floor (5 s) after a 429 whose Retry-After cannot be read', async () => {
    klaviyo.queueAnswers(429);
    const { client, clock } = make();
    const id = idOf(await client.track('Viewed Product', {}));
    await waitForEvents(1);
    await settled(client);
    clock.advance(4999);
    await settled(client);
    expect(klaviyo.events()).toHaveLength(1);
    clock.advance(1);
    await waitForDelivered([id]);
  });
});

describe('order', () => {
  it('sends nothing newer while the oldest event waits to be retried, then all in order', async () => {
    klaviyo.queueAnswers(500);
    const { client, clock } = make({ delivery: { concurrency: 1 } });
    const a = idOf(await client.track('A', {}));
    const b = idOf(await client.track('B', {}));
    const c = idOf(await client.track('C', {}));
    await waitForEvents(1);
    await settled(client);
    expect(klaviyo.metrics()).toEqual(['A']);
    expect(await client.status()).toMatchObject({ queued: 3 });

    clock.advance(FIRST_BACKOFF);
    await waitForDelivered([a, b, c]);
    expect(klaviyo.metrics()).toEqual(['A', 'A', 'B', 'C']);
  });
});

describe('queue cap', () => {
  it('moves the oldest events past maxQueued to the dead letters, reports them and loses none', async () => {
    klaviyo.setFallback(503);
    const { client, clock, errors } = make({ delivery: { maxQueued: 2, concurrency: 1 } });
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C', 'D']) ids.push(idOf(await client.track(name, {})));
    await settled(client);

    const letters = await client.deadLetters.list();
    expect(letters.map((l) => [l.reason.code, l.record.payload.kind === 'event' && l.record.payload.uniqueId])).toEqual(
      [
        ['queue_overflow', ids[0]],
        ['queue_overflow', ids[1]],
      ],
    );
    expect(errors.filter((e) => e.error.code === 'queue_overflow').map((e) => e.event?.uniqueId)).toEqual([
      ids[0],
      ids[1],
    ]);
    expect(await client.status()).toMatchObject({ queued: 2, deadLettered: 2 });

    klaviyo.setFallback(202);
    clock.advance(60_000);
    await waitForDelivered([ids[2], ids[3]]);
    expect(await client.deadLetters.replay()).toBe(2);
    await waitForDelivered([ids[2], ids[3], ids[0], ids[1]]);
    expect(await client.status()).toMatchObject({ queued: 0, deadLettered: 0 });
  });
});

describe('rate limit', () => {
  it('sends no more than the burst before the clock moves, then the steady rate', async () => {
    const { client, clock } = make({ delivery: { ratePerSecond: 1, burst: 2, concurrency: 1 } });
    for (let i = 0; i < 5; i++) await client.track('Viewed Product', { n: i });
    await waitForTimer(clock, 1000);
    expect(klaviyo.events()).toHaveLength(2);

    clock.advance(1000);
    await waitForEvents(3);
    await waitForTimer(clock, 1000);
    expect(klaviyo.events()).toHaveLength(3);

    clock.advance(1000);
    await waitForEvents(4);
    await waitForTimer(clock, 1000);
    clock.advance(1000);
    await waitForEvents(5);
    expect(klaviyo.events().map((r) => r.body.data.attributes.properties.n)).toEqual([0, 1, 2, 3, 4]);
  });
});
