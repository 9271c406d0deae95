import type { Payload, ProfileAttributes } from '../events/body.js';
import type { JsonObject } from '../events/validate.js';
import type { Platform } from '../platform.js';
import type { KeyValueStore } from '../storage.js';
import { storageKey, writeItem } from '../web-storage.js';
import { createKeyGenerator, createQueue, newRecord, type QueueRecord } from './queue.js';
import { createRescue } from './rescue.js';

/**
 * The store side of delivery: what track() and identify() need to keep an event durably, and nothing that sends.
 * This file imports no part of the sending loop (drain, send, retry policy, rate limit, lock, pause, dead letters),
 * so a first download can hold it alone; the sender (sender.ts) attaches when it arrives.
 */

/** What the outbox tells its sender. Until one is attached, records are stored and nothing is sent. */
export interface OutboxListener {
  /**
   * These records are now in IndexedDB (stored, amended or released): look at the queue soon. `fresh`: queued by this
   * page just now and not held, so a candidate for the keepalive send on exit.
   */
  queued(records: QueueRecord[], fresh: boolean): void;
  /** Everything queued was deleted (consent withdrawn). */
  purged(): void;
}

export interface Outbox {
  /**
   * Stores the payload; resolves once it is in storage, then the sender hears of it. `held`: a guest's event.
   * `awaitDetailMs`: not due before then, unless amend() adds the detail first.
   */
  enqueue(payload: Payload, options?: { held?: boolean; awaitDetailMs?: number }): Promise<QueueRecord>;
  /**
   * Merges properties into the stored event with this unique_id that has not been sent (held ones too) and makes it
   * due now; its place in the queue stays. False when no such event waits here (sent already, or never stored).
   */
  amend(uniqueId: string, properties: JsonObject): Promise<boolean>;
  /** Sends every held guest event on this buyer's profile, keeping each one's original time and place. */
  releaseHeld(profile: ProfileAttributes): Promise<number>;
  /** Waiting in storage: all of them, and how many of those are held guest events. */
  counts(): Promise<{ queued: number; held: number }>;
  /** Deletes everything queued and dead-lettered (consent withdrawn), whether a sender is attached or not. */
  purge(): Promise<void>;
  /** Moves records an earlier page stashed on its way out into the queue; resolves with how many. */
  recoverRescued(): Promise<number>;
  /**
   * The page is going away: copies records whose IndexedDB write has not finished to localStorage (see rescue.ts)
   * and returns them (the sender may still fire them with keepalive).
   */
  stash(): QueueRecord[];
  /** Connects the sender: from now on it hears of every record stored. What is stored already waits in IndexedDB. */
  attach(listener: OutboxListener): void;
}

export function createOutbox(
  tenant: string,
  stores: { queue: KeyValueStore; deadLetters: KeyValueStore },
  platform: Pick<Platform, 'clock' | 'uuid' | 'localStorage'>,
): Outbox {
  const { clock } = platform;
  const queue = createQueue(stores.queue);
  const nextKey = createKeyGenerator(platform.uuid());
  const rescue = createRescue(platform.localStorage, storageKey(tenant, 'rescue'));
  let listener: OutboxListener | undefined;
  // Records not yet confirmed in IndexedDB (rescued on pagehide), and the writes under way (releaseHeld waits).
  const unwritten = new Map<string, QueueRecord>();
  const writing = new Set<Promise<void>>();
  let batch: { records: QueueRecord[]; written: Promise<void> } | undefined;

  /**
   * Everything enqueued in one task shares one IndexedDB transaction: a burst of track() calls costs one write,
   * not one each. The write starts in a microtask, after the task's other calls have joined the batch.
   */
  function writeSoon(record: QueueRecord): Promise<void> {
    if (!batch) {
      const next: { records: QueueRecord[]; written: Promise<void> } = { records: [], written: Promise.resolve() };
      next.written = Promise.resolve().then(() => {
        batch = undefined;
        return queue.put(next.records);
      });
      batch = next;
    }
    batch.records.push(record);
    return batch.written;
  }

  return {
    async enqueue(payload, enqueueOptions = {}) {
      const now = clock.now();
      const record = newRecord(nextKey(now), payload, now);
      if (enqueueOptions.held) record.held = true;
      if (enqueueOptions.awaitDetailMs) record.notBefore = now + enqueueOptions.awaitDetailMs;
      unwritten.set(record.key, record);
      const write = writeSoon(record);
      writing.add(write);
      try {
        await write;
      } finally {
        writing.delete(write);
        unwritten.delete(record.key);
      }
      listener?.queued([record], !record.held);
      return record;
    },
    async amend(uniqueId, properties) {
      await Promise.allSettled([...writing]);
      const record = (await queue.all()).find((r) => r.payload.kind === 'event' && r.payload.uniqueId === uniqueId);
      if (!record || record.payload.kind !== 'event') return false;
      const amended: QueueRecord = {
        ...record,
        payload: { ...record.payload, properties: { ...record.payload.properties, ...properties } },
        // Due now: the detail it waited for is here. A retry's backoff stands.
        notBefore: record.failures > 0 ? record.notBefore : 0,
      };
      await queue.put([amended]);
      listener?.queued([amended], false);
      return true;
    },
    async releaseHeld(profile) {
      await Promise.allSettled([...writing]);
      // The age limit (maxAgeMs) counts from the release: a hold may last longer than it, and must not dead-letter.
      const now = clock.now();
      const released = (await queue.all())
        .filter((record) => record.held && record.payload.kind === 'event')
        .map(({ held: _held, ...record }) => ({
          ...record,
          queuedAt: now,
          payload: { ...record.payload, profile: { ...record.payload.profile, ...profile } },
        })) as QueueRecord[];
      if (released.length === 0) return 0;
      await queue.put(released);
      listener?.queued(released, false);
      return released.length;
    },
    async counts() {
      const records = await queue.all();
      return { queued: records.length, held: records.filter((record) => record.held).length };
    },
    async recoverRescued() {
      const records = rescue.take();
      if (records.length > 0) await queue.put(records);
      return records.length;
    },
    async purge() {
      // Every tab's sender reads this before it stores what a request in flight came back with (drain.ts): an answer
      // to a request made before the purge must not write the record back.
      writeItem(platform.localStorage, storageKey(tenant, 'purged'), platform.uuid());
      listener?.purged();
      rescue.clear();
      await queue.clear();
      // The dead letters' own store, cleared as plain storage: consent withdrawn before a sender came still forgets them.
      await stores.deadLetters.clear();
    },
    stash() {
      const records = [...unwritten.values()];
      rescue.stash(records);
      return records;
    },
    attach(next) {
      listener = next;
    },
  };
}
