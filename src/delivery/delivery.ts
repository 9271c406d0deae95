import { WizKlaviyoError } from '../errors';
import type { Payload, ProfileAttributes } from '../events/body';
import { isStale } from '../events/staleness';
import type { JsonObject } from '../events/validate';
import type { ResolvedOptions } from '../options';
import type { Platform } from '../platform';
import type { Reporter } from '../report';
import type { KeyValueStore } from '../storage';
import { storageKey } from '../web-storage';
import { createDeadLetterStore, type DeadLetterApi } from './dead-letter';
import { createDrainer, type FlushResult } from './drain';
import { createPauseState } from './pause';
import type { RejectedIdentifier } from './rejected-identifier';
import { createRescue } from './rescue';

import { createKeyGenerator, createQueue, newRecord, type QueueRecord } from './queue';
import { createTokenBucket } from './rate-limit';
import { createTransport } from './send';
import { leaseLock, webLock } from './sender-lock';

export interface DeliveryStores {
  queue: KeyValueStore;
  deadLetters: KeyValueStore;
  meta: KeyValueStore;
}

export interface DeliveryCounters {
  sent: number;
  /** Guest events dropped because nobody identified within the hold time. */
  expiredHolds: number;
  lastSuccessAt: number | null;
  droppedDeadLetters: number;
}

export interface DeliveryHooks {
  /** Asked before every send: while false nothing leaves the browser (the queue is kept). */
  maySend(): boolean;
  /** Klaviyo refused these identifier values (the queue no longer carries them); the buyer must forget them too. */
  onIdentifiersRejected(rejected: RejectedIdentifier[]): void;
}

/** A tenant's durable delivery: the queue, its dead letters and the loop that sends them. */
export interface Delivery {
  /**
   * Stores the payload; resolves once it is in storage, then sending starts on its own. `held`: a guest's event.
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
  flush(options?: { retryNetworkNow?: boolean }): Promise<FlushResult>;
  /** Waiting in storage: all of them, and how many of those are held guest events. */
  counts(): Promise<{ queued: number; held: number }>;
  pausedUntil(): number;
  counters(): Readonly<DeliveryCounters>;
  /** Whether Klaviyo answered lately: unknown before the first try; 'offline' when the browser says so. */
  reachability(): 'unknown' | 'reachable' | 'offline' | 'blocked';
  /** Deletes everything queued and dead-lettered (consent withdrawn). */
  purge(): Promise<void>;
  deadLetters: DeadLetterApi;
  /** Sending may have become allowed again (see DeliveryHooks.maySend): look at the queue now. */
  resume(): void;
  /**
   * The page is going away: stashes records whose IndexedDB write has not finished (see rescue.ts) and keepalive-sends
   * what this page queued and has not delivered.
   */
  leavePage(): void;
  /** Moves records an earlier page stashed on its way out into the queue; resolves with how many. */
  recoverRescued(): Promise<number>;
  stop(): void;
}

export function createDelivery(
  options: ResolvedOptions,
  stores: DeliveryStores,
  platform: Platform,
  reporter: Reporter,
  hooks: DeliveryHooks,
): Delivery {
  const { clock } = platform;
  const queue = createQueue(stores.queue);
  const nextKey = createKeyGenerator(platform.uuid());
  const deadLetters = createDeadLetterStore(stores.deadLetters, queue, options.delivery.maxDeadLetters, clock.now);
  const pause = createPauseState(stores.meta);
  const counters: DeliveryCounters = { sent: 0, expiredHolds: 0, lastSuccessAt: null, droppedDeadLetters: 0 };
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

  const rescue = createRescue(platform.localStorage, storageKey(options.tenant, 'rescue'));
  // Records this page queued and has not seen delivered: candidates for a keepalive send on pagehide.

  const unsentHere = new Map<string, QueueRecord>();
  let reachability: ReturnType<Delivery['reachability']> = 'unknown';
  const lock = platform.locks
    ? webLock(platform.locks, storageKey(options.tenant, 'sender'))
    : leaseLock(stores.meta, platform.uuid(), clock);

  const drainer = createDrainer({
    queue,
    deadLetters,
    transport: createTransport({ ...options, fetch: platform.fetch }),
    limiter: createTokenBucket(options.delivery.ratePerSecond, options.delivery.burst, clock.now),
    lock,
    pause,
    delivery: options.delivery,
    clock,
    random: platform.random,
    reporter,
    isHeld: (record) => record.held === true || !hooks.maySend(),
    isHoldExpired: (record, now) => record.held === true && now - record.queuedAt > options.guestHoldMs,
    isBackfill: (record, now) => record.payload.kind === 'event' && isStale(record.payload, now, options.staleAfterMs),
    hooks: {
      holdsExpired(records) {
        counters.expiredHolds += records.length;
        for (const record of records) unsentHere.delete(record.key);
        reporter.error(new WizKlaviyoError('hold_expired', { count: records.length, holdMs: options.guestHoldMs }));
      },
      delivered(record) {
        reachability = 'reachable';
        unsentHere.delete(record.key);
        counters.sent++;
        counters.lastSuccessAt = clock.now();
        reporter.debug(`delivered ${describe(record)}`);
      },
      retrying(record, decision) {
        // A request that fails before any answer while the browser is online: an ad blocker or a firewall.
        if (decision.failure === 'network') reachability = platform.online() ? 'blocked' : 'offline';
        else reachability = 'reachable';
        const code = decision.pauseTenant ? 'rate_limited' : 'send_failed';
        reporter.error(
          new WizKlaviyoError(code, { ...recordDetails(record), detail: decision.detail, delayMs: decision.delayMs }),
          eventRef(record),
        );
      },
      identifiersRejected(rejected, resent) {
        // What this page may still keepalive-send on exit must be the rewritten copy, not the refused one.
        for (const record of resent) if (unsentHere.has(record.key)) unsentHere.set(record.key, record);
        reporter.error(
          new WizKlaviyoError('identifier_rejected', {
            by: 'klaviyo',
            fields: rejected.map((r) => r.field),
            resent: resent.length,
          }),
        );
        hooks.onIdentifiersRejected(rejected);
      },
      deadLettered(letters, dropped) {
        counters.droppedDeadLetters += dropped;
        for (const { record, reason } of letters) {
          unsentHere.delete(record.key);
          const code = reason.code === 'queue_overflow' ? 'queue_overflow' : 'dead_lettered';
          reporter.error(new WizKlaviyoError(code, { ...recordDetails(record), reason }), eventRef(record));
        }
        if (dropped > 0) {
          reporter.error(new WizKlaviyoError('dead_letter_overflow', { count: dropped }));
        }
      },
    },
  });

  // Several track() calls in one task become one pass.
  let flushSoon: unknown;
  function scheduleFlush(): void {
    if (flushSoon !== undefined) return;
    flushSoon = clock.setTimeout(() => {
      flushSoon = undefined;
      void drainer.flush();
    }, 0);
  }

  return {
    async enqueue(payload, enqueueOptions = {}) {
      const now = clock.now();
      const record = newRecord(nextKey(now), payload, now);
      if (enqueueOptions.held) record.held = true;
      else unsentHere.set(record.key, record);
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
      scheduleFlush();
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
      if (unsentHere.has(amended.key)) unsentHere.set(amended.key, amended);
      scheduleFlush();
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
        }));
      if (released.length === 0) return 0;
      await queue.put(released as QueueRecord[]);
      scheduleFlush();
      return released.length;
    },
    flush: (flushOptions) => drainer.flush(flushOptions),
    async counts() {
      const records = await queue.all();
      return { queued: records.length, held: records.filter((record) => record.held).length };
    },
    pausedUntil: () => pause.known(),
    counters: () => counters,
    reachability: () => reachability,
    async recoverRescued() {
      const records = rescue.take();
      if (records.length > 0) await queue.put(records);
      return records.length;
    },
    async purge() {
      unsentHere.clear();
      rescue.clear();
      await queue.clear();
      await deadLetters.clear();
    },

    deadLetters: {
      list: () => deadLetters.list(),
      replay: async (keys) => {
        const count = await deadLetters.replay(keys);
        if (count > 0) scheduleFlush();
        return count;
      },
      clear: () => deadLetters.clear(),
    },
    resume: () => scheduleFlush(),
    leavePage() {
      rescue.stash([...unwritten.values()]);
      drainer.sendOnExit([...unsentHere.values()]);
    },
    stop() {
      drainer.stop();
      if (flushSoon !== undefined) clock.clearTimeout(flushSoon);
    },
  };
}

function describe(record: QueueRecord): string {
  return record.payload.kind === 'event' ? `"${record.payload.metric}" (${record.payload.uniqueId})` : 'profile update';
}

/** What an error about a record names: the event's metric and unique_id, or that it is a profile update. */
function recordDetails(record: QueueRecord): Record<string, unknown> {
  return record.payload.kind === 'event'
    ? { metric: record.payload.metric, uniqueId: record.payload.uniqueId }
    : { kind: 'profile' };
}

function eventRef(record: QueueRecord): { name?: string; uniqueId?: string } | undefined {
  return record.payload.kind === 'event'
    ? { name: record.payload.metric, uniqueId: record.payload.uniqueId }
    : undefined;
}
