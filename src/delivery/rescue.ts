import { readJson, removeItem, writeJson } from '../web-storage.js';
import type { QueueRecord } from './queue.js';

/**
 * An IndexedDB write still under way when the page is left can be aborted with it (a checkout link, a login form
 * that navigates at once). On pagehide those records are copied to localStorage, which writes synchronously, and the
 * next page load moves them into the queue. Same keys, so a write that did finish is not doubled.
 */
export interface Rescue {
  stash(records: QueueRecord[]): void;
  /** Takes what an earlier page stashed, and forgets it. */
  take(): QueueRecord[];
  clear(): void;
}

export function createRescue(storage: Storage | undefined, key: string): Rescue {
  function read(): QueueRecord[] {
    const stashed = readJson(storage, key);
    return Array.isArray(stashed) ? stashed.filter((r) => r && typeof r.key === 'string' && r.payload) : [];
  }
  const clear = () => removeItem(storage, key);
  return {
    stash(records) {
      // Full or off: the IndexedDB write may still have made it.
      if (records.length > 0) writeJson(storage, key, [...read(), ...records]);
    },
    take() {
      const records = read();
      clear();
      return records;
    },
    clear,
  };
}
