import type { QueueRecord } from './queue';

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
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(key) || '[]');
      return Array.isArray(parsed) ? parsed.filter((r) => r && typeof r.key === 'string' && r.payload) : [];
    } catch {
      return [];
    }
  }
  function clear(): void {
    try {
      storage?.removeItem(key);
    } catch {
      // storage off: nothing was stashed either
    }
  }
  return {
    stash(records) {
      if (records.length === 0) return;
      try {
        storage?.setItem(key, JSON.stringify([...read(), ...records]));
      } catch {
        // full or off: the IndexedDB write may still have made it
      }
    },
    take() {
      const records = read();
      clear();
      return records;
    },
    clear,
  };
}
