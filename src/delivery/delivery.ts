import type { KeyValueStore } from '../storage.js';
import type { DeliveryCounters, FlushResult, Reachability } from './drain.js';
import type { Outbox } from './outbox.js';
import type { Sender } from './sender.js';

export type { DeliveryCounters, DeliveryHooks } from './drain.js';

export interface DeliveryStores {
  queue: KeyValueStore;
  deadLetters: KeyValueStore;
  meta: KeyValueStore;
}

/**
 * A tenant's durable delivery: the outbox (store side, outbox.ts) and the sender (send side, sender.ts) as one.
 *
 * The seam: the outbox works alone. Records it stores wait in IndexedDB (and in localStorage when the page is left
 * mid-write) and nothing is sent until a sender is attached; from then on the sender hears of every record stored,
 * and its first pass sends what was stored before, in order. The script tag's first file holds the outbox alone and
 * attaches the sender when its file has loaded (src/global.ts); the ES module attaches it at once.
 */
export interface Delivery extends Omit<Outbox, 'stash' | 'attach'> {
  /** Sends what is due now; waits for the sender to arrive (nothing sent if its code never loads). */
  flush(options?: { retryNow?: boolean }): Promise<FlushResult>;
  /** Starts a pass soon (once a sender is attached). */
  resume(): void;
  counters(): Readonly<DeliveryCounters>;
  reachability(): Reachability;
  /** Until when Klaviyo asked the tenant to pause (429), as last read or written; 0 before a sender is attached. */
  pausedUntil(): number;
  deadLetters: Sender['deadLetters'];
  /** Connects the send side; `undefined`: its code could not be loaded (waiting calls resolve with nothing done). */
  attach(sender: Sender | undefined): void;
  /**
   * The page is going away: stashes records whose IndexedDB write has not finished (see rescue.ts) and keepalive-sends
   * what this page queued and has not delivered.
   */
  leavePage(): void;
  stop(): void;
}

const NOTHING_SENT: FlushResult = { sent: 0, retried: 0, deadLettered: 0 };

export function createDelivery(outbox: Outbox): Delivery {
  let sender: Sender | undefined;
  let stopped = false;
  let arrived!: (sender: Sender | undefined) => void;
  const arriving = new Promise<Sender | undefined>((resolve) => (arrived = resolve));
  /** Runs `work` on the sender once it is here; `none` when its code could not be loaded. */
  const withSender = <T>(work: (sender: Sender) => Promise<T>, none: T): Promise<T> =>
    arriving.then((found) => (found ? work(found) : none));
  const { stash: _stash, attach: _attach, ...store } = outbox;

  return {
    ...store,
    flush: (options) => withSender((found) => found.flush(options), NOTHING_SENT),
    resume: () => sender?.resume(),
    counters: () => sender?.counters() ?? { sent: 0, expiredHolds: 0, lastSuccessAt: null, droppedDeadLetters: 0 },
    reachability: () => sender?.reachability() ?? 'unknown',
    pausedUntil: () => sender?.pausedUntil() ?? 0,
    deadLetters: {
      list: () => withSender((found) => found.deadLetters.list(), []),
      replay: (keys) => withSender((found) => found.deadLetters.replay(keys), 0),
      clear: () => withSender((found) => found.deadLetters.clear(), 0),
    },
    attach(next) {
      if (sender || stopped) return arrived(sender);
      sender = next;
      if (next) outbox.attach(next);
      arrived(next);
    },
    leavePage() {
      const unwritten = outbox.stash();
      sender?.sendOnExit(unwritten);
    },
    stop() {
      stopped = true;
      sender?.stop();
      arrived(undefined);
    },
  };
}
