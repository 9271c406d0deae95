import { WizKlaviyoError, toWizError } from '../errors.js';
import { isStale } from '../events/staleness.js';
import type { ResolvedOptions } from '../options.js';
import type { Platform } from '../platform.js';
import type { Reporter } from '../report.js';
import type { DeadLetter, DeadLetterReason, DeadLetterStore } from './dead-letter.js';
import type { PauseState } from './pause.js';
import type { Queue, QueueRecord } from './queue.js';
import type { RateLimiter } from './rate-limit.js';
import { serialise } from '../events/body.js';
import { decide, type Decision, type SendOutcome } from './retry-policy.js';
import { carriesRejected, hasIdentifier, withoutRejected, type RejectedIdentifier } from './rejected-identifier.js';

import type { OutboxListener } from './outbox.js';
import type { SenderLock } from './sender-lock.js';
import type { Transport } from './send.js';
import { readItem, storageKey, writeItem } from '../web-storage.js';

/** What one flush did. */
export interface FlushResult {
  sent: number;
  retried: number;
  deadLettered: number;
}

export interface DeliveryCounters {
  sent: number;
  /** Guest events dropped because nobody identified within the hold time. */
  expiredHolds: number;
  lastSuccessAt: number | null;
  droppedDeadLetters: number;
}

/** Whether Klaviyo answered lately: unknown before the first try; 'offline' when the browser says so. */
export type Reachability = 'unknown' | 'reachable' | 'offline' | 'blocked';

export interface DeliveryHooks {
  /** Asked before every send: while false nothing leaves the browser (the queue is kept). */
  maySend(): boolean;
  /** Whether another tab of the store is open: its sender takes what this page leaves queued, and hears the answer. */
  anotherTabOpen(): boolean;
  /** Klaviyo refused these identifier values (the queue no longer carries them); the buyer must forget them too. */
  onIdentifiersRejected(rejected: RejectedIdentifier[]): void;
}

/** How a record leaves: the wire, the token bucket, the cross-tab sender lock and the tenant's 429 pause. */
export interface Channel {
  transport: Transport;
  limiter: RateLimiter;
  lock: SenderLock;
  pause: PauseState;
}

export interface DrainDeps {
  queue: Queue;
  deadLetters: DeadLetterStore;
  channel: Channel;
  /** The retry timings and caps, the guest hold and the staleness thresholds. */
  options: ResolvedOptions;
  platform: Pick<Platform, 'clock' | 'random' | 'online' | 'localStorage'>;
  /** Every outcome is reported here, where it is decided. */
  reporter: Reporter;
  hooks: DeliveryHooks;
}

/**
 * The outbox's listener: `queued` records are this page's unsent ones (what it fires on exit, in their latest form)
 * and start a pass soon; `purged` forgets them.
 */
export interface Drainer extends OutboxListener {
  /**
   * Runs a pass now (or right after the one under way). `retryNow` (flush(), the browser back online) ends every
   * record's backoff: the outage it grew in may be over. A 429 pause still stands.
   */
  flush(options?: { retryNow?: boolean }): Promise<FlushResult>;
  /** Runs a pass soon: several calls in one task become one pass. */
  resume(): void;
  /**
   * The page is going away: fires keepalive requests, without waiting, for this page's unsent records (unless another
   * tab is open to send them) and for `unwritten` ones (their IndexedDB write had not finished).
   */
  sendOnExit(unwritten: QueueRecord[]): void;
  counters(): Readonly<DeliveryCounters>;
  reachability(): Reachability;
  stop(): void;
}

/** Chromium refuses keepalive requests once 64 KB are in flight; leave room for the page's own. */
const KEEPALIVE_BUDGET = 60_000;
/** How soon to look again when a storage error or another tab's lease stopped a pass. */
const RECHECK_MS = 5000;

/**
 * The sending loop: reads the queue in order, sends due records through the rate limiter with bounded concurrency,
 * and applies the retry policy. A record waiting to be retried keeps its place: nothing newer overtakes it.
 */
export function createDrainer(deps: DrainDeps): Drainer {
  const { queue, channel, options, reporter } = deps;
  const { clock } = deps.platform;
  const delivery = options.delivery;
  const counters: DeliveryCounters = { sent: 0, expiredHolds: 0, lastSuccessAt: null, droppedDeadLetters: 0 };
  let reachability: Reachability = 'unknown';
  // Records this page queued and has not seen delivered: candidates for a keepalive send on pagehide.
  const unsentHere = new Map<string, QueueRecord>();
  let running: Promise<FlushResult> | undefined;
  let pending: Promise<FlushResult> | undefined;
  let retryNow = false;
  let timer: unknown;
  let timerAt = Infinity;
  let stopped = false;
  let keepaliveBytes = 0;
  const inFlight = new Set<string>();
  /** Changes whenever any tab purges the store (consent withdrawn): see outbox.ts purge(). */
  const purgeMark = () => readItem(deps.platform.localStorage, storageKey(options.tenant, 'purged'));
  let markSeen = purgeMark();
  /**
   * The newest record any tab's sender has started. Records go out oldest first, so every older one was started too:
   * a page being left does not send those again (another tab may have delivered them already).
   */
  const startedKey = storageKey(options.tenant, 'started');
  const startedUpTo = () => readItem(deps.platform.localStorage, startedKey) ?? '';

  /**
   * Whether a record must not be sent yet: a guest's held event, or sending is not allowed now (`sending`: the gate's
   * answer, asked once per look at the queue, not once per record: it reads a cookie and localStorage).
   */
  const isHeld = (record: QueueRecord, sending: boolean) => record.held === true || !sending;
  /** Waiting out our own backoff, which flush() and `online` end; a wait Klaviyo asked for (Retry-After) stands. */
  const isBackingOff = (record: QueueRecord) => record.failures > 0 && !record.waitAsked;
  /** Whether a held record waited too long and is to be dropped. */
  const isHoldExpired = (record: QueueRecord, now: number) =>
    record.held === true && now - record.queuedAt > options.guestHoldMs;
  /** Whether the event is so old that Klaviyo should record it without firing flows. */
  const isBackfill = (record: QueueRecord, now: number) =>
    record.payload.kind === 'event' && isStale(record.payload, now, options.staleAfterMs);

  function flush(flushOptions: { retryNow?: boolean } = {}): Promise<FlushResult> {
    if (flushOptions.retryNow) retryNow = true;
    if (!running) return start();
    pending ??= running.then(() => {
      pending = undefined;
      return start();
    });
    return pending;
  }

  function start(): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, retried: 0, deadLettered: 0 };
    const retryAll = retryNow;
    retryNow = false;
    const work = stopped
      ? Promise.resolve(true)
      : channel.lock
          .run((renew) => pass(renew, retryAll, result))
          .catch((error: unknown) => {
            reporter.error(toWizError(error, 'storage_failed', { step: 'send' }));
            scheduleAt(clock.now() + RECHECK_MS);
            return true;
          });
    running = work
      .then((ran) => {
        if (!ran) scheduleAt(clock.now() + RECHECK_MS);
        return result;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  async function pass(renew: () => Promise<boolean>, retryAll: boolean, result: FlushResult): Promise<void> {
    while (!stopped) {
      const now = clock.now();
      // One read of the queue serves many windows; the outer loop reads again for what was added meanwhile.
      // The cap and age limits apply during a 429 pause too.
      // What this read returns is the queue as of this mark: a purge after it (any tab) voids what comes back.
      const readAt = purgeMark();
      const records = await retireStale(await queue.all(), now, result);
      const pausedUntil = await channel.pause.read();
      if (pausedUntil > now) return scheduleAt(pausedUntil);

      const sending = deps.hooks.maySend();
      const sendable = records.filter((record) => !isHeld(record, sending));
      if (retryAll) for (const record of sendable) if (isBackingOff(record)) record.notBefore = 0;
      if (sendable.length === 0) return;
      for (let start = 0; start < sendable.length;) {
        const window = nextWindow(sendable, start);
        if (window.length === 0) return scheduleAt(sendable[start].notBefore);
        for (let taken = 0; taken < window.length;) {
          const wait = channel.limiter.take();
          if (wait === 0) taken++;
          else await sleep(wait);
          if (stopped) return;
        }
        if (!(await renew())) return scheduleAt(clock.now() + RECHECK_MS);
        if (purgedSince(readAt)) return scheduleAt(clock.now()); // read before the purge: none of it may leave
        const newest = window[window.length - 1].key;
        if (newest > startedUpTo()) writeItem(deps.platform.localStorage, startedKey, newest);
        const decisions = await Promise.all(window.map((record) => attempt(record)));
        // Purged while these were in flight (consent withdrawn, in any tab): what came back is not written back. What
        // is still queued (added since) is looked at again soon.
        if (purgedSince(readAt)) return scheduleAt(clock.now());
        if (await apply(window, decisions, result)) return;
        start += window.length;
      }
    }
  }

  /** The due records from `start` on, in order, up to `concurrency`; held or not-yet-due ones end the window. */
  function nextWindow(records: QueueRecord[], start: number): QueueRecord[] {
    const now = clock.now();
    const sending = deps.hooks.maySend();
    const window: QueueRecord[] = [];
    for (const record of records.slice(start, start + delivery.concurrency)) {
      if (record.notBefore > now || isHeld(record, sending)) break;
      window.push(record);
    }
    return window;
  }

  async function attempt(record: QueueRecord): Promise<Decision> {
    const outcome = (await post(record, false)) as SendOutcome; // only an exiting post can be skipped
    return decide(outcome, record, delivery, clock.now(), deps.platform.random());
  }

  /**
   * Serialises once and posts, with keepalive while the page's 64 KB keepalive budget allows, so a request under way
   * survives a navigation. On the way out (`exiting`) only keepalive requests make sense: undefined when over budget.
   */
  function post(record: QueueRecord, exiting: boolean): Promise<SendOutcome> | undefined {
    const body = serialise(record.payload, isBackfill(record, clock.now()));
    const keepalive = keepaliveBytes + body.length <= KEEPALIVE_BUDGET;
    if (exiting && !keepalive) return undefined;
    if (keepalive) keepaliveBytes += body.length;
    inFlight.add(record.key);
    return channel.transport.send(record.payload.kind, body, keepalive).finally(() => {
      inFlight.delete(record.key);
      if (keepalive) keepaliveBytes -= body.length;
    });
  }

  /** Stores what the window's answers mean; returns true when the pass should end (something waits to retry). */
  async function apply(window: QueueRecord[], decisions: Decision[], result: FlushResult): Promise<boolean> {
    const now = clock.now();
    const delivered: string[] = [];
    const retrying: QueueRecord[] = [];
    const dead: DeadLetter[] = [];
    const rejected: RejectedIdentifier[] = [];
    const retimed: QueueRecord[] = [];
    decisions.forEach((decision, i) => {
      const record = window[i];
      if (decision.action === 'delivered') {
        delivered.push(record.key);
        reachability = 'reachable';
        unsentHere.delete(record.key);
        counters.sent++;
        counters.lastSuccessAt = clock.now();
        reporter.debug('delivered', recordDetails(record));
      } else if (decision.action === 'drop-identifiers') {
        const found = rejectedOn(record, decision.fields);
        if (found.length === 0) {
          // The pointer names a field this record does not carry: nothing to drop, so it cannot be mended.
          dead.push({
            key: record.key,
            record,
            reason: { code: 'rejected', status: decision.status, detail: decision.detail, at: now },
          });
        }
        for (const value of found) if (!carriesRejected({ [value.field]: value.value }, rejected)) rejected.push(value);
      } else if (decision.action === 'drop-time') {
        const mended = withoutTime(record);
        if (mended) {
          retimed.push(mended);
          const time = record.payload.kind === 'event' ? record.payload.time : undefined;
          reporter.error(
            new WizKlaviyoError('event_repaired', { ...recordDetails(mended), repairs: ['time: time_refused'], time }),
            eventRef(mended),
          );
        } else {
          dead.push({
            key: record.key,
            record,
            reason: { code: 'rejected', status: decision.status, detail: decision.detail, at: now },
          });
        }
      } else if (decision.action === 'dead') {
        const { code, status, detail } = decision;
        dead.push({ key: record.key, record, reason: { code, status, detail, at: now } });
      } else {
        const updated: QueueRecord = {
          ...record,
          failures: record.failures + 1,
          networkFailures: (record.networkFailures ?? 0) + (decision.failure === 'network' ? 1 : 0),
          serverFailures: record.serverFailures + (decision.failure === 'server' && !decision.pauseTenant ? 1 : 0),
          notBefore: now + decision.delayMs,
          lastFailure: decision.failure,
          waitAsked: decision.asked || undefined,
          lastError: decision.detail,
        };
        retrying.push(updated);
        // A request that fails before any answer while the browser is online: an ad blocker or a firewall.
        if (decision.failure === 'network') reachability = deps.platform.online() ? 'blocked' : 'offline';
        else reachability = 'reachable';
        reporter.error(
          new WizKlaviyoError(decision.pauseTenant ? 'rate_limited' : 'send_failed', {
            ...recordDetails(updated),
            detail: decision.detail,
            delayMs: decision.delayMs,
          }),
          eventRef(updated),
        );
      }
    });
    await queue.put([...retrying, ...retimed]);
    await moveToDeadLetters(dead);
    await queue.remove(delivered);

    result.sent += delivered.length;
    result.retried += retrying.length;
    result.deadLettered += dead.length;
    const pauses = decisions.flatMap((d) => (d.action === 'retry' && d.pauseTenant ? [now + d.delayMs] : []));
    if (pauses.length > 0) await channel.pause.pauseUntil(Math.max(...pauses));
    if (rejected.length > 0) await dropRejected(rejected, now, result);
    if (rejected.length > 0 || retimed.length > 0) {
      scheduleAt(clock.now()); // what was rewritten goes out in the next pass, in its place
      return true;
    }
    if (retrying.length === 0) return false;
    scheduleAt(Math.min(...retrying.map((record) => record.notBefore)));
    return true;
  }

  /** The event without the time Klaviyo refused; undefined when there is none to drop (nothing left to mend). */
  function withoutTime(record: QueueRecord): QueueRecord | undefined {
    if (record.payload.kind !== 'event' || record.payload.time === undefined) return undefined;
    const { time: _refused, ...payload } = record.payload;
    return { ...record, payload, notBefore: 0 };
  }

  /** The refused values this record carried (the pointer names the field; the value is what we sent). */
  function rejectedOn(record: QueueRecord, fields: RejectedIdentifier['field'][]): RejectedIdentifier[] {
    const profile = record.payload.profile;
    return fields.flatMap((field) =>
      typeof profile[field] === 'string' ? [{ field, value: profile[field] as string }] : [],
    );
  }

  /**
   * Removes refused identifier values from every queued record that carries them (the one Klaviyo answered, and the
   * ones that would meet the same 400), keeping each one's unique_id and place. A record left with no identifier at
   * all cannot land on any profile: it is dead-lettered.
   */
  async function dropRejected(rejected: RejectedIdentifier[], now: number, result: FlushResult): Promise<void> {
    const resent: QueueRecord[] = [];
    const dead: DeadLetter[] = [];
    const detail = `Klaviyo refused ${rejected.map((r) => r.field).join(', ')}`;
    for (const record of await queue.all()) {
      if (!carriesRejected(record.payload.profile, rejected)) continue;
      const profile = withoutRejected(record.payload.profile, rejected);
      const updated = { ...record, payload: { ...record.payload, profile } } as QueueRecord;
      if (hasIdentifier(profile)) resent.push(updated);
      else dead.push({ key: record.key, record, reason: { code: 'rejected', status: 400, detail, at: now } });
    }
    await queue.put(resent);
    await moveToDeadLetters(dead);
    result.deadLettered += dead.length;
    // What this page may still keepalive-send on exit must be the rewritten copy, not the refused one.
    queued(resent, false);
    reporter.error(
      new WizKlaviyoError('identifier_rejected', {
        by: 'klaviyo',
        fields: rejected.map((r) => r.field),
        resent: resent.length,
      }),
    );
    deps.hooks.onIdentifiersRejected(rejected);
  }

  /** Moves what is over the queue cap (oldest first) or past its age to the dead letters; returns the rest. */
  async function retireStale(records: QueueRecord[], now: number, result: FlushResult): Promise<QueueRecord[]> {
    const overflow = Math.max(0, records.length - delivery.maxQueued);
    const retired: DeadLetter[] = [];
    const kept: QueueRecord[] = [];
    const expiredHolds: QueueRecord[] = [];
    const sending = deps.hooks.maySend();
    records.forEach((record, i) => {
      if (isHoldExpired(record, now)) return void expiredHolds.push(record);
      const reason: DeadLetterReason | undefined =
        i < overflow
          ? { code: 'queue_overflow', detail: `queue held more than ${delivery.maxQueued} events`, at: now }
          : now - record.queuedAt >= delivery.maxAgeMs && !isHeld(record, sending)
            ? { code: 'expired', detail: record.lastError ?? 'never delivered', at: now }
            : undefined;
      if (reason) retired.push({ key: record.key, record, reason });
      else kept.push(record);
    });
    if (expiredHolds.length > 0) {
      await queue.remove(expiredHolds.map((record) => record.key));
      counters.expiredHolds += expiredHolds.length;
      for (const record of expiredHolds) unsentHere.delete(record.key);
      reporter.error(new WizKlaviyoError('hold_expired', { count: expiredHolds.length, holdMs: options.guestHoldMs }));
    }
    await moveToDeadLetters(retired);
    result.deadLettered += retired.length;
    return kept;
  }

  /** Stored as letters before they leave the queue: a tab closing in between leaves a copy, never nothing. */
  async function moveToDeadLetters(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const dropped = await deps.deadLetters.add(letters);
    await queue.remove(letters.map((letter) => letter.key));
    counters.droppedDeadLetters += dropped;
    for (const { record, reason } of letters) {
      unsentHere.delete(record.key);
      const code = reason.code === 'queue_overflow' ? 'queue_overflow' : 'dead_lettered';
      reporter.error(new WizKlaviyoError(code, { ...recordDetails(record), reason }), eventRef(record));
    }
    if (dropped > 0) reporter.error(new WizKlaviyoError('dead_letter_overflow', { count: dropped }));
  }

  /**
   * For what the page queued a moment ago (a click that navigates away). Only records no sender (in any tab) has
   * started, never-tried ones that are due (a backlog that is failing or paused, or an event awaiting detail from the
   * next page, waits for the next page), and only as many as the shared rate limit allows right now: the answer may
   * never be heard, so the record stays queued and the next page resends it under the same unique_id. While another
   * tab of the store is open, what is in IndexedDB is left to its sender, which hears the answer (no second send);
   * only `unwritten` records, which only a later page finds, still go.
   */
  function sendOnExit(unwritten: QueueRecord[]): void {
    purgedSince(markSeen);
    const now = clock.now();
    if (channel.pause.known() > now) return; // Klaviyo asked for a pause (429): the next page honours it too
    const started = startedUpTo();
    const sending = deps.hooks.maySend();
    const stored = deps.hooks.anotherTabOpen() ? [] : unsentHere.values();
    for (const record of [...stored, ...unwritten]) {
      if (inFlight.has(record.key) || record.key <= started) continue; // a sender (here or in another tab) has it
      if (isHeld(record, sending) || record.failures > 0 || record.notBefore > now) continue;
      if (channel.limiter.take() > 0 || !post(record, true)) break;
    }
  }

  /** A purge (here or in another tab) deleted the queue: this page's unsent records went with it. */
  function forgetPurged(): void {
    markSeen = purgeMark();
    unsentHere.clear();
  }

  /** Whether a purge happened since `mark` was read (and if so, this page's unsent records are forgotten). */
  function purgedSince(mark: string | undefined): boolean {
    if (purgeMark() === mark) return false;
    forgetPurged();
    return true;
  }

  function queued(records: QueueRecord[], fresh: boolean): void {
    for (const record of records) if (fresh || unsentHere.has(record.key)) unsentHere.set(record.key, record);
    resume();
  }

  function resume(): void {
    scheduleAt(clock.now());
  }

  function scheduleAt(time: number): void {
    if (stopped || time >= timerAt) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timerAt = time;
    timer = clock.setTimeout(
      () => {
        timer = undefined;
        timerAt = Infinity;
        void flush();
      },
      Math.max(0, time - clock.now()),
    );
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => clock.setTimeout(resolve, ms));
  }

  function stop(): void {
    stopped = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  }

  return {
    flush,
    resume,
    queued,
    purged: forgetPurged,
    sendOnExit,
    counters: () => counters,
    reachability: () => reachability,
    stop,
  };
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
