import { toWizError, type WizKlaviyoError } from './errors.js';

import { memoryStorage, type KeyValueStore, type StorageFactory } from './storage.js';

/** How long a storage call may take before IndexedDB counts as broken (blocked upgrade, wedged connection). */
const STORAGE_TIMEOUT_MS = 5000;

export interface ResilientStorage {
  factory: StorageFactory;
  /** True once this page fell back to memory. */
  degraded(): boolean;
}

/**
 * IndexedDB can be missing, blocked, full (QuotaExceededError) or deleted under us. The first failure switches every
 * store of this instance to this page's memory, reported once: sending goes on, and what is kept in memory is lost
 * only if the page closes before it is delivered.
 */
export function resilientStorage(
  primary: StorageFactory,
  onDegrade: (error: WizKlaviyoError) => void,
): ResilientStorage {
  const memory = memoryStorage();
  let degraded = false;

  function degrade(cause: unknown): void {
    if (degraded) return;
    degraded = true;
    onDegrade(toWizError(cause, 'storage_failed', { step: 'open', fallback: 'memory' }));
  }

  function factory(name: string): KeyValueStore {
    const fallback = memory(name);
    let store: KeyValueStore | undefined;
    try {
      store = primary(name);
    } catch (error) {
      degrade(error);
    }
    const call =
      <A extends unknown[], R>(op: (s: KeyValueStore, ...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        if (degraded || !store) return op(fallback, ...args);
        try {
          return await withTimeout(op(store, ...args));
        } catch (error) {
          degrade(error);
          return op(fallback, ...args);
        }
      };
    return {
      get: call((s, key: string) => s.get(key)) as KeyValueStore['get'],
      set: call((s, key: string, value: unknown) => s.set(key, value)),
      update: call((s, key: string, updater: (old: unknown) => unknown) =>
        s.update<unknown>(key, updater),
      ) as KeyValueStore['update'],
      setMany: call((s, items: Array<[string, unknown]>) => s.setMany(items)),
      delMany: call((s, keys: string[]) => s.delMany(keys)),
      entries: call((s) => s.entries()) as KeyValueStore['entries'],
      clear: call((s) => s.clear()),
    };
  }

  return { factory, degraded: () => degraded };
}

/** A watchdog on the browser's own latency, so it runs on real time, not the SDK's (injectable) clock. */
function withTimeout<T>(work: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${STORAGE_TIMEOUT_MS} ms`)), STORAGE_TIMEOUT_MS);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
