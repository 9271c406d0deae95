import type { WizKlaviyo } from '../client';
import type { WizKlaviyoError } from '../errors';
import type { CartMemory } from './cart-memory';

/** What every auto-tracking part shares: the SDK, the page, the cart seen so far and the error channel. */
export interface AutotrackContext {
  sdk: WizKlaviyo;
  win: Window & typeof globalThis;
  doc: Document;
  cart: CartMemory;
  report(error: WizKlaviyoError): void;
  /** Checkout pages, by path. */
  checkoutPath: RegExp;
  /** Remembers that an action happened now, across page loads of this tab (sessionStorage). */
  mark(name: string): void;
  /** Whether `mark(name)` was called within the last `ms`. */
  markedWithin(name: string, ms: number): boolean;
  forgetMarks(): void;
  /** Things already tracked in this page view (product ids, order ids…), so a re-scan does not fire them twice. */
  seen: Set<string>;
}

export function createMarks(storage: Storage | undefined, prefix: string, now: () => number) {
  const memory = new Map<string, number>();
  return {
    forgetMarks() {
      for (const name of memory.keys()) {
        try {
          storage?.removeItem(`${prefix}:${name}`);
        } catch {
          // see below
        }
      }
      memory.clear();
    },

    mark(name: string) {
      memory.set(name, now());
      try {
        storage?.setItem(`${prefix}:${name}`, String(now()));
      } catch {
        // sessionStorage can be off; this page still remembers
      }
    },
    markedWithin(name: string, ms: number) {
      let at = memory.get(name);
      try {
        at ??= Number(storage?.getItem(`${prefix}:${name}`)) || undefined;
      } catch {
        // see above
      }
      return at !== undefined && now() - at < ms;
    },
  };
}
