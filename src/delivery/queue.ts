import type { Payload } from '../events/body.js';
import type { KeyValueStore } from '../storage.js';

/** One thing waiting to go to Klaviyo, stored as plain data so any tab or a later page load can send it. */
export interface QueueRecord {
  /** Sorts by the time it was queued, so storage order is sending order. */
  key: string;
  payload: Payload;
  queuedAt: number;
  /** Failed tries of any kind. */
  failures: number;
  /** Of those, requests that got no answer (offline, blocked). Their backoff and the answers' grow apart. */
  networkFailures?: number;
  /** Failed answers from the server (408, 5xx); counts toward maxAttempts. A 429 and offline spells do not. */
  serverFailures: number;
  /** Not to be sent before this time (ms). */
  notBefore: number;
  lastFailure?: 'network' | 'server';
  /** The wait until notBefore is Klaviyo's (Retry-After): flush() and recovery do not cut it short. */
  waitAsked?: boolean;
  /** A guest's event waiting for identify(); not sent until released. */
  held?: boolean;
  lastError?: string;
}

export interface Queue {
  /** Everything queued, oldest first. */
  all(): Promise<QueueRecord[]>;
  put(records: QueueRecord[]): Promise<void>;
  remove(keys: string[]): Promise<void>;
  clear(): Promise<void>;
}

/**
 * Builds keys that sort by time. The counter orders one instance's keys within a millisecond; the instance's own id
 * keeps two tabs' keys apart, so one tab's write never replaces another's record. Whole milliseconds, 9 base-36 digits:
 * the monotonic clock has fractions, and a key with a fraction is longer than 9 digits and would go unpadded, sorting
 * after every padded key whatever its time (a newer event overtook older ones, and a page being left took an event for
 * one a sender had started).
 */
export function createKeyGenerator(instanceId: string): (now: number) => string {
  const tag = instanceId.replace(/[^0-9a-z]/gi, '').slice(0, 12);
  let sequence = 0;
  return (now) => {
    sequence = (sequence + 1) % 36 ** 4;
    return [Math.floor(now).toString(36).padStart(9, '0'), sequence.toString(36).padStart(4, '0'), tag].join('-');
  };
}

export function newRecord(key: string, payload: Payload, now: number): QueueRecord {
  return { key, payload, queuedAt: now, failures: 0, serverFailures: 0, notBefore: 0 };
}

export function createQueue(store: KeyValueStore): Queue {
  return {
    async all() {
      return (await store.entries<QueueRecord>()).map(([, record]) => record);
    },
    put: (records) => store.setMany(records.map((record) => [record.key, record])),
    remove: (keys) => store.delMany(keys),
    clear: () => store.clear(),
  };
}
