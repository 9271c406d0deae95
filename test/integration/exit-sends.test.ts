import { describe, expect, it, vi } from 'vitest';
import { createLocks } from '../support/harness';
import { createManualClock } from '../support/manual-clock';
import { idOf, useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();

describe('a page being left', () => {
  it('does not send again what another tab’s sender has delivered', async () => {
    const shared = { clock: createManualClock(), locks: createLocks() };
    // Tab B is the sender: its first request hangs (holding the sender lock) until the test lets it answer.
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let bCalls = 0;
    const bFetch: typeof fetch = async (input, init) => {
      if (++bCalls === 1) await firstHeld;
      return fetch(input, init);
    };
    const pageB = new EventTarget();
    const { client: b } = make({ platform: { window: pageB, fetch: bFetch } }, shared);
    await b.track('Viewed Product', { ProductID: 'x' });
    await vi.waitFor(() => expect(bCalls).toBe(1));

    // Tab A tracks while B holds the lock: A's own pass waits, B's takes A's event from the shared queue.
    const aBodies: string[] = [];
    const aFetch: typeof fetch = (input, init) => {
      aBodies.push(String(init?.body));
      return fetch(input, init);
    };
    const pageA = new EventTarget();
    const { client: a } = make({ platform: { window: pageA, fetch: aFetch } }, shared);
    const id = idOf(await a.track('Added to Cart', { ItemNames: ['Linen Shirt'] }));
    releaseFirst();
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toContain(id));

    pageA.dispatchEvent(new Event('pagehide'));
    expect(aBodies.filter((body) => body.includes(id))).toEqual([]);
    expect(klaviyo.events().filter((r) => r.body.data.attributes.unique_id === id)).toHaveLength(1);
  });
});
