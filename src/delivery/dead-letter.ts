import type { KeyValueStore } from '../storage';
import { newRecord, type Queue, type QueueRecord } from './queue';

export interface DeadLetterReason {
  code: 'rejected' | 'retries_exhausted' | 'expired' | 'queue_overflow';
  /** HTTP status of the last answer, when there was one. */
  status?: number;
  /** Klaviyo's error detail, or what went wrong. */
  detail?: string;
  at: number;
}

export interface DeadLetter {
  key: string;
  record: QueueRecord;
  reason: DeadLetterReason;
}

export interface DeadLetterStore {
  /** Stores the letters; returns how many of the oldest had to be dropped to stay under the cap. */
  add(letters: DeadLetter[]): Promise<number>;
  list(): Promise<DeadLetter[]>;
  /** Moves letters (all, or those keys) back to the queue with a fresh retry budget; returns how many. */
  replay(keys: string[] | undefined, now: number): Promise<number>;
  /** Deletes all letters; returns how many there were. */
  clear(): Promise<number>;
}

export function createDeadLetterStore(store: KeyValueStore, queue: Queue, maxLetters: number): DeadLetterStore {
  async function list(): Promise<DeadLetter[]> {
    return (await store.entries<DeadLetter>()).map(([, letter]) => letter);
  }

  return {
    async add(letters) {
      if (letters.length === 0) return 0;
      await store.setMany(letters.map((letter) => [letter.key, letter]));
      const all = await list();
      const excess = all.length - maxLetters;
      if (excess <= 0) return 0;
      await store.delMany(all.slice(0, excess).map((letter) => letter.key));
      return excess;
    },
    list,
    async replay(keys, now) {
      const wanted = keys && new Set(keys);
      const chosen = (await list()).filter((letter) => !wanted || wanted.has(letter.key));
      // Same key as before: a replayed event goes back to its original place in the order.
      await queue.put(chosen.map(({ record }) => newRecord(record.key, record.payload, now)));
      await store.delMany(chosen.map((letter) => letter.key));
      return chosen.length;
    },
    async clear() {
      const count = (await list()).length;
      await store.clear();
      return count;
    },
  };
}
