import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WizKlaviyo } from '../../src/client';
import { indexedDbStorage, type KeyValueStore, type StorageFactory } from '../../src/storage';
import { idOf, useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();

const FAST = { interval: 2, timeout: 2000 };
const quotaExceeded = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** A store whose every operation answers with `answer()` (a rejection, or a promise that never settles). */
function brokenStore(answer: () => Promise<never>): KeyValueStore {
  return { get: answer, set: answer, update: answer, setMany: answer, delMany: answer, entries: answer, clear: answer };
}

/** The SDK keeps working on memory: the event is stored, delivered, and status() says where it lives. */
async function expectWorkingOnMemory(client: WizKlaviyo, codes: () => string[]): Promise<void> {
  const id = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
  await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id]), FAST);
  const status = await client.status();
  expect(status.storage).toBe('memory');
  expect(status.queued).toBe(0);
  expect(status.sent).toBe(1);
  // A second event after the switch: no second report.
  const next = idOf(await client.track('Searched Site', { SearchTerm: 'linen' }));
  await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id, next]), FAST);
  expect(codes()).toEqual(['storage_failed']);
}

describe('broken IndexedDB', () => {
  it('falls back to memory when every operation fails with QuotaExceededError', async () => {
    const full: StorageFactory = () => brokenStore(() => Promise.reject(quotaExceeded()));
    const { client, codes, errors } = make({ storage: full });
    await expectWorkingOnMemory(client, codes);
    expect(errors[0].error.details.cause).toContain('QuotaExceededError');
  });

  it('falls back to memory when opening a store throws', async () => {
    const unopenable: StorageFactory = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    const { client, codes } = make({ storage: unopenable });
    await expectWorkingOnMemory(client, codes);
  });

  it('falls back to memory when the quota runs out after events were already stored', async () => {
    let full = false;
    const idb = indexedDbStorage();
    const fillsUp: StorageFactory = (name) => {
      const real = idb(name);
      const guard =
        <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
        (...args: A) =>
          full ? Promise.reject(quotaExceeded()) : op(...args);
      return { ...real, set: guard(real.set), setMany: guard(real.setMany), update: guard(real.update) };
    };
    const { client, codes } = make({ storage: fillsUp });
    const first = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([first]), FAST);
    expect((await client.status()).storage).toBe('custom');
    expect(codes()).toEqual([]);

    full = true;
    const second = idOf(await client.track('Searched Site', { SearchTerm: 'linen' }));
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([first, second]), FAST);
    expect((await client.status()).storage).toBe('memory');
    expect(codes()).toEqual(['storage_failed']);
  });

  describe('that never answers', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('falls back to memory after the 5 s watchdog', async () => {
      // Only the watchdog's timers are faked: the SDK's own run on the injected manual clock.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const wedged: StorageFactory = () => brokenStore(() => new Promise<never>(() => {}));
      const { client, codes } = make({ storage: wedged });
      let stored: Awaited<ReturnType<WizKlaviyo['track']>> | undefined;
      const tracking = client
        .track('Viewed Product', { ProductName: 'Linen Shirt' })
        .then((result) => (stored = result));

      await vi.advanceTimersByTimeAsync(4900);
      expect(stored).toBeUndefined();
      expect(codes()).toEqual([]);
      await vi.advanceTimersByTimeAsync(200);
      await tracking;
      vi.useRealTimers();

      const id = idOf(stored!);
      await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id]), FAST);
      expect((await client.status()).storage).toBe('memory');
      expect(codes()).toEqual(['storage_failed']);
    });
  });
});

describe('no IndexedDB at all', () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
  afterEach(() => {
    if (original) Object.defineProperty(globalThis, 'indexedDB', original);
  });

  it('keeps the queue in memory from the start, without reporting a failure', async () => {
    delete (globalThis as { indexedDB?: unknown }).indexedDB;
    expect(typeof indexedDB).toBe('undefined');
    const { client, codes } = make({ storage: undefined });
    expect((await client.status()).storage).toBe('memory');

    const id = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id]), FAST);
    expect((await client.status()).storage).toBe('memory');
    expect(codes()).toEqual([]);
  });
});
