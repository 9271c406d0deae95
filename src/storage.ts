import { createStore, get, set, update, setMany, delMany, entries, clear, type UseStore } from 'idb-keyval';

/** The few operations the SDK needs from a key-value store; entries come back in key order. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /** Read-modify-write in one transaction (IndexedDB), so two tabs cannot interleave. */
  update<T>(key: string, updater: (old: T | undefined) => T): Promise<void>;
  setMany(items: Array<[string, unknown]>): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  entries<T>(): Promise<Array<[string, T]>>;
  clear(): Promise<void>;
}

/** Opens (or creates) the store with the given name; each name is its own database. */
export type StorageFactory = (name: string) => KeyValueStore;

/** IndexedDB through idb-keyval: one database per name, since idb-keyval holds one object store per database. */
export function indexedDbStorage(): StorageFactory {
  return (name) => {
    const store: UseStore = createStore(name, 'records');
    return {
      get: (key) => get(key, store),
      set: (key, value) => set(key, value, store),
      update: (key, updater) => update(key, updater, store),
      setMany: (items) => setMany(items, store),
      delMany: (keys) => delMany(keys, store),
      entries: <T>() => entries<string, T>(store),
      clear: () => clear(store),
    };
  };
}

/**
 * Stores kept in this page's memory. Used where IndexedDB is missing and in tests; stores with the same name
 * from one factory share their contents, as two IndexedDB handles would.
 */
export function memoryStorage(): StorageFactory {
  const maps = new Map<string, Map<string, unknown>>();
  return (name) => {
    let map = maps.get(name);
    if (!map) maps.set(name, (map = new Map()));
    const data = map;
    const copy = <T>(value: T): T => (value === undefined ? value : structuredCloneSafe(value));
    return {
      get: async (key) => copy(data.get(key)) as never,
      set: async (key, value) => void data.set(key, copy(value)),
      update: async (key, updater) => void data.set(key, copy(updater(copy(data.get(key)) as never))),
      setMany: async (items) => items.forEach(([key, value]) => data.set(key, copy(value))),
      delMany: async (keys) => keys.forEach((key) => data.delete(key)),
      entries: async <T>() =>
        [...data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, copy(v) as T]),
      clear: async () => data.clear(),
    };
  };
}

/** Stored records are plain JSON data; copying keeps callers from mutating what is "on disk". */
function structuredCloneSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** IndexedDB where the browser has it, otherwise memory (some private modes have none). */
export function defaultStorage(): { factory: StorageFactory; kind: 'indexeddb' | 'memory' } {
  return typeof indexedDB === 'undefined'
    ? { factory: memoryStorage(), kind: 'memory' }
    : { factory: indexedDbStorage(), kind: 'indexeddb' };
}
