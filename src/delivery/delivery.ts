import type { ResolvedOptions } from '../options.js';
import type { Platform } from '../platform.js';
import type { Reporter } from '../report.js';
import type { KeyValueStore } from '../storage.js';
import type { DeliveryHooks } from './drain.js';
import { createOutbox, type Outbox } from './outbox.js';
import { createSender, type Sender } from './sender.js';

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
 * mid-write) and nothing is sent until a sender is attached; attachSender() then makes the sender hear of every
 * record stored from then on, and its first pass (resume() or flush()) sends what was stored before, in order. So a
 * first download can hold createOutbox alone and attach createSender when the sending code has loaded.
 */
export interface Delivery extends Omit<Outbox, 'stash' | 'attach'>, Omit<Sender, 'queued' | 'purged' | 'sendOnExit'> {
  /**
   * The page is going away: stashes records whose IndexedDB write has not finished (see rescue.ts) and keepalive-sends
   * what this page queued and has not delivered.
   */
  leavePage(): void;
}

export function createDelivery(
  options: ResolvedOptions,
  stores: DeliveryStores,
  platform: Platform,
  reporter: Reporter,
  hooks: DeliveryHooks,
): Delivery {
  return attachSender(
    createOutbox(options.tenant, stores, platform),
    createSender(options, stores, platform, reporter, hooks),
  );
}

/** The outbox with its sender attached: what was stored goes out, and leaving the page stashes and sends. */
export function attachSender(outbox: Outbox, sender: Sender): Delivery {
  outbox.attach(sender);
  // The seam's own calls (stash, attach, queued, purged, sendOnExit) stay on the object but not in the Delivery type.
  return { ...outbox, ...sender, leavePage: () => sender.sendOnExit(outbox.stash()) };
}
