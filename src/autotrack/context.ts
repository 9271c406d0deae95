import type { WizKlaviyo } from '../client.js';
import type { WizKlaviyoError } from '../errors.js';
import { readItem, removeItem, storageKey, writeItem } from '../web-storage.js';
import type { CartMemory } from './cart-memory.js';

/** What every auto-tracking part shares: the SDK, the page, the cart seen so far and the error channel. */
export interface AutotrackContext {
  sdk: WizKlaviyo;
  win: Window & typeof globalThis;
  doc: Document;
  cart: CartMemory;
  report(error: WizKlaviyoError): void;
  /** Whether anything may be collected now (the instance's gate): tenant on, consent, no __kla_off. */
  mayCollect(): boolean;
  /** Checkout pages, by path. */
  checkoutPath: RegExp;
  /** Remembers that an action happened now, with an optional note (an event's unique_id), across page loads of this tab (sessionStorage). */
  mark(name: string, note?: string): void;
  /** Whether `mark(name)` was called within the last `ms`. */
  markedWithin(name: string, ms: number): boolean;
  /** The note of a `mark(name, note)` made within the last `ms`: '' for a mark without one, undefined for none. */
  markNote(name: string, ms: number): string | undefined;
  forgetMarks(): void;
  /** Things already tracked in this page view (product ids, order ids…), so a re-scan does not fire them twice. */
  seen: Set<string>;
}

/** How long a recent action (a checkout started, a search submitted) still counts as the same one. */
export const RECENT_MS = 10 * 60 * 1000;

/** Stored as "time" or "time note" (a unique_id has no space). */
type Mark = { at: number; note: string };

export function createMarks(storage: Storage | undefined, tenant: string, now: () => number) {
  // A mark is kept in this page's memory too: sessionStorage can be off.
  const memory = new Map<string, Mark>();
  function read(name: string, ms: number): Mark | undefined {
    const [at, note = ''] = (readItem(storage, storageKey(tenant, name)) ?? '').split(' ');
    const mark = memory.get(name) ?? (Number(at) ? { at: Number(at), note } : undefined);
    return mark && now() - mark.at < ms ? mark : undefined;
  }
  return {
    forgetMarks() {
      for (const name of memory.keys()) removeItem(storage, storageKey(tenant, name));
      memory.clear();
    },

    mark(name: string, note = '') {
      const at = now();
      memory.set(name, { at, note });
      writeItem(storage, storageKey(tenant, name), note ? `${at} ${note}` : String(at));
    },
    markedWithin: (name: string, ms: number) => read(name, ms) !== undefined,
    markNote: (name: string, ms: number) => read(name, ms)?.note,
  };
}
