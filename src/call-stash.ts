import type { QueuedCall } from './global.js';
import { readJson, removeItem, writeJson } from './web-storage.js';

/**
 * Calls still waiting for the features file when the page is left, kept in localStorage for the next page of the
 * store to make (src/waiting-calls.ts). Each page writes its own entry, so tabs leaving at once do not overwrite each
 * other; a page restored from the back-forward cache takes its entry back (its calls are still waiting in memory).
 */
export interface CallStash {
  /** The calls earlier pages left, oldest first; they are removed from storage. */
  take(): QueuedCall[];
  /** Stores what `waiting()` returns when the page is left. */
  keepOnLeave(waiting: () => QueuedCall[]): void;
}

type Entry = { page: string; calls: QueuedCall[] };

export function callStash(win: Window | undefined, storage: Storage | undefined, key: string): CallStash {
  const page = Math.random().toString(36).slice(2);
  const entries = (): Entry[] => {
    const stored = readJson(storage, key);
    return Array.isArray(stored) ? stored.filter((entry) => entry && Array.isArray(entry.calls)) : [];
  };
  const ownRemoved = () => {
    const others = entries().filter((entry) => entry.page !== page);
    if (others.length > 0) writeJson(storage, key, others);
    else removeItem(storage, key);
  };
  return {
    take() {
      const calls = entries().flatMap((entry) => entry.calls);
      removeItem(storage, key);
      return calls.filter((call) => Array.isArray(call) && typeof call[0] === 'string');
    },
    keepOnLeave(waiting) {
      win?.addEventListener('pagehide', () => {
        const calls = waiting();
        if (calls.length > 0) writeJson(storage, key, [...entries(), { page, calls }]);
      });
      win?.addEventListener('pageshow', (event) => {
        if ((event as PageTransitionEvent).persisted) ownRemoved();
      });
    },
  };
}
