import { describe, expect, it, vi } from 'vitest';
import { createDelivery } from '../../src/delivery/delivery';
import { createOutbox } from '../../src/delivery/outbox';
import { createSender } from '../../src/delivery/sender';
import type { EventPayload } from '../../src/events/body';
import { normalizeOptions } from '../../src/options';
import { browserPlatform } from '../../src/platform';
import { createReporter } from '../../src/report';
import { indexedDbStorage } from '../../src/storage';
import { storageKey } from '../../src/web-storage';
import { createLocks } from '../support/harness';
import { createManualClock } from '../support/manual-clock';
import { useKlaviyo } from '../support/suite';

const { klaviyo } = useKlaviyo();

/**
 * The seam between the store side and the send side (delivery.ts): the script tag's first download may hold the
 * outbox alone and attach the sender when it has loaded.
 */
function parts() {
  const options = normalizeOptions({ siteKey: 'AbC123' });
  const clock = createManualClock();
  const platform = browserPlatform({
    clock,
    locks: createLocks(),
    random: () => 0.5,
    window: undefined,
    document: undefined,
  });
  const storage = indexedDbStorage();
  const stores = {
    queue: storage(storageKey(options.tenant, 'queue')),
    deadLetters: storage(storageKey(options.tenant, 'dead')),
    meta: storage(storageKey(options.tenant, 'meta')),
  };
  const errors: string[] = [];
  const reporter = createReporter({
    tenant: options.tenant,
    debug: false,
    now: clock.now,
    onError: (info) => errors.push(info.error.code),
  });
  const outbox = createOutbox(options.tenant, stores, platform);
  const sender = () =>
    createSender(options, stores, platform, reporter, {
      maySend: () => true,
      anotherTabOpen: () => false,
      onIdentifiersRejected: () => {},
    });
  return { outbox, sender, stores, clock, errors };
}

function event(uniqueId: string): EventPayload {
  return {
    kind: 'event',
    metric: 'Viewed Product',
    properties: { ProductID: uniqueId },
    time: '2026-11-28T12:00:00+00:00',
    uniqueId,
    profile: { anonymous_id: '0b6f2a52-3f4c-4c2e-9d1a-2f6d1c7e8a90' },
  };
}

describe('the outbox without a sender', () => {
  it('stores events in IndexedDB and sends nothing, even when time passes', async () => {
    const { outbox, stores, clock } = parts();
    await Promise.all(['a', 'b', 'c'].map((id) => outbox.enqueue(event(id))));
    clock.advance(60_000);
    expect(await outbox.counts()).toEqual({ queued: 3, held: 0 });
    const stored = (await stores.queue.entries<{ payload: EventPayload }>()).map(([, r]) => r.payload.uniqueId);
    expect(stored).toEqual(['a', 'b', 'c']);
    expect(klaviyo.events()).toHaveLength(0);
  });

  it('stashes unwritten records on exit for the next page and returns them, with nothing sent', async () => {
    const { outbox } = parts();
    const stored = outbox.enqueue(event('a'));
    const stashed = outbox.stash();
    expect(stashed.map((r) => r.payload.kind === 'event' && r.payload.uniqueId)).toEqual(['a']);
    await stored;
    expect(await parts().outbox.recoverRescued()).toBe(1); // same key: the finished write is not doubled
    expect(await outbox.counts()).toEqual({ queued: 1, held: 0 });
    expect(klaviyo.events()).toHaveLength(0);
  });
});

describe('attaching the sender', () => {
  it('delivers what the outbox stored before, in order and once, and what it stores after', async () => {
    const { outbox, sender, errors } = parts();
    for (const id of ['a', 'b', 'c']) await outbox.enqueue(event(id));
    const delivery = createDelivery(outbox);
    delivery.attach(sender());
    delivery.resume();
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual(['a', 'b', 'c']));

    await delivery.enqueue(event('d'));
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual(['a', 'b', 'c', 'd']));
    await delivery.flush();
    expect(klaviyo.uniqueIds()).toEqual(['a', 'b', 'c', 'd']);
    expect(await delivery.counts()).toEqual({ queued: 0, held: 0 });
    expect(delivery.counters().sent).toBe(4);
    expect(errors).toEqual([]);
    delivery.stop();
  });
});
