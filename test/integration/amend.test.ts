import { describe, expect, it, vi } from 'vitest';
import { indexedDbStorage, type StorageFactory } from '../../src/storage';
import { createLocks } from '../support/harness';
import { createManualClock } from '../support/manual-clock';
import { idOf, useKlaviyo } from '../support/suite';

/**
 * An event tracked with `awaitDetailMs` (a search submit's Searched Site) is stored at once but waits for amend() (the
 * results page's count) before it is sent: one event at Klaviyo, with the detail, under one unique_id.
 */
const { klaviyo, make } = useKlaviyo();

const WAIT = 5000;
const waitForDelivered = (ids: string[]) => vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual(ids));
const propertiesOf = (index: number) => klaviyo.events()[index].body.data.attributes.properties;

describe('an event awaiting detail', () => {
  it('is stored at once, not sent before its wait, then sent without the detail', async () => {
    const { client, clock } = make();
    const id = idOf(await client.searchedSite('linen', undefined, { awaitDetailMs: WAIT }));
    await client.flush();
    expect(klaviyo.events()).toHaveLength(0);
    expect(await client.status()).toMatchObject({ queued: 1 });

    clock.advance(WAIT);
    await waitForDelivered([id]);
    expect(propertiesOf(0)).toEqual({ SearchTerm: 'linen' });
  });

  it('keeps its place: an event tracked after it waits behind it', async () => {
    const { client, clock } = make();
    const search = idOf(await client.searchedSite('linen', undefined, { awaitDetailMs: WAIT }));
    const viewed = idOf(await client.track('Viewed Product', { ProductID: 'p1' }));
    await client.flush();
    expect(klaviyo.events()).toHaveLength(0);
    clock.advance(WAIT);
    await waitForDelivered([search, viewed]);
  });

  it('amended, is sent at once with the detail, once, under its unique_id', async () => {
    const { client } = make();
    const id = idOf(await client.searchedSite('linen', undefined, { uniqueId: 'search-1', awaitDetailMs: WAIT }));
    expect(id).toBe('search-1');
    expect(await client.amend('search-1', { ReturnedResults: 3 })).toBe(true);
    await waitForDelivered(['search-1']);
    expect(propertiesOf(0)).toEqual({ SearchTerm: 'linen', ReturnedResults: 3 });
    await client.flush();
    expect(klaviyo.events()).toHaveLength(1);
  });

  it('cannot be amended once sent: amend() resolves false and nothing more is sent', async () => {
    const { client, clock } = make();
    const id = idOf(await client.searchedSite('linen', undefined, { awaitDetailMs: WAIT }));
    clock.advance(WAIT);
    await waitForDelivered([id]);
    expect(await client.amend(id, { ReturnedResults: 3 })).toBe(false);
    await client.flush();
    expect(klaviyo.events()).toHaveLength(1);
  });

  it('is amended while held for a guest, and sent with the detail once the buyer is known', async () => {
    const { client } = make({ guestEvents: 'hold' });
    const id = idOf(await client.searchedSite('linen', undefined, { awaitDetailMs: WAIT }));
    expect(await client.amend(id, { ReturnedResults: 3 })).toBe(true);
    await client.flush();
    expect(klaviyo.events()).toHaveLength(0);
    await client.identify({ email: 'ada@example.com' });
    await waitForDelivered([id]);
    expect(propertiesOf(0)).toEqual({ SearchTerm: 'linen', ReturnedResults: 3 });
  });

  it('is not sent with keepalive when the page is left, and the next page amends it from the rescue', async () => {
    const shared = { clock: createManualClock(), locks: createLocks() };
    const localStorage = memoryLocalStorage();
    // The first page navigates away before its IndexedDB write is done: the record survives only in the rescue.
    const pageA = new EventTarget();
    const { client: first } = make(
      { storage: unfinishedQueueWrites(indexedDbStorage()), platform: { window: pageA, localStorage } },
      shared,
    );
    void first.searchedSite('linen', undefined, { uniqueId: 'search-1', awaitDetailMs: WAIT });
    await vi.waitFor(() => {
      pageA.dispatchEvent(new Event('pagehide'));
      expect(localStorage.getItem('wiz-klaviyo:AbC123:rescue')).toContain('search-1');
    });
    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50)); // time for a keepalive request to reach Klaviyo
    expect(klaviyo.events()).toHaveLength(0);

    // The results page (reached from an email click: its _kx is stored first) amends as soon as it starts: amend()
    // waits until the rescued record is queued.
    const pageB = Object.assign(new EventTarget(), {
      location: { search: '?q=linen&_kx=kx-1', href: 'https://shop.example/search?q=linen&_kx=kx-1' },
    });
    const { client: second } = make({ platform: { window: pageB, localStorage } }, shared);
    expect(await second.amend('search-1', { ReturnedResults: 3 })).toBe(true);
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toContain('search-1'));
    const search = klaviyo.events().find((r) => r.body.data.attributes.unique_id === 'search-1');
    expect(search?.body.data.attributes.properties).toEqual({ SearchTerm: 'linen', ReturnedResults: 3 });
  });

  it('refuses a wait that is not a number of ms up to a minute', async () => {
    const { client } = make();
    for (const awaitDetailMs of [-1, 60_001, '5000', Number.NaN]) {
      const result = await client.searchedSite('linen', undefined, { awaitDetailMs: awaitDetailMs as number });
      expect(result.ok || result.error.code).toBe('invalid_event_option');
    }
  });
});

/** Storage whose queue writes never finish, as when the page is gone before IndexedDB commits. */
function unfinishedQueueWrites(factory: StorageFactory): StorageFactory {
  return (name) => {
    const store = factory(name);
    return name.endsWith(':queue') ? { ...store, setMany: () => new Promise<void>(() => undefined) } : store;
  };
}

function memoryLocalStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}
