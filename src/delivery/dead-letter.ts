import type { KeyValueStore } from '../storage.js';
import { newRecord, type Queue, type QueueRecord } from './queue.js';

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

/** The dead letters as the instance offers them (`wizKlaviyo.deadLetters`): the one type for them, everywhere. */
export interface DeadLetterApi {
  /** What could not be delivered, oldest first, with Klaviyo's reason. */
  list(): Promise<DeadLetter[]>;
  /** Puts letters (all, or those keys) back in the queue with a fresh retry budget; resolves with the count. */
  replay(keys?: string[]): Promise<number>;
  /** Deletes every dead letter; resolves with the count. */
  clear(): Promise<number>;
}

/** The stored dead letters: the public calls, and `add` for the sending loop. */
export interface DeadLetterStore extends DeadLetterApi {
  /** Stores the letters; returns how many of the oldest had to be dropped to stay under the cap. */
  add(letters: DeadLetter[]): Promise<number>;
}

export function createDeadLetterStore(
  store: KeyValueStore,
  queue: Queue,
  maxLetters: number,
  now: () => number,
): DeadLetterStore {
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
    async replay(keys) {
      const wanted = keys && new Set(keys);
      const chosen = (await list()).filter((letter) => !wanted || wanted.has(letter.key));
      // Same key as before: a replayed event goes back to its original place in the order.
      await queue.put(chosen.map(({ record }) => newRecord(record.key, record.payload, now())));
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
