import type { WizKlaviyo } from '../client';
import { toWizError } from '../errors';
import { createReporter } from '../report';
import { browserStorage } from '../web-storage';
import { createCartMemory } from './cart-memory';
import { createMarks, type AutotrackContext } from './context';
import { listenToShopper } from './dom-listeners';
import { scanPage } from './page-scan';
import { watchNavigation } from './router';

export interface AutotrackOptions {
  /** Keeps the remembered cart and marks apart per storefront. */
  tenant: string;
  onError?: Parameters<typeof createReporter>[0]['onError'];
  debug?: boolean;
  /** Pages that count as checkout when reached. @default paths with a "/checkout" segment */
  checkoutPath?: RegExp;
}

export interface Autotrack {
  /** Removes every listener and the router hooks. */
  stop(): void;
  /** Deletes what auto-tracking remembers in the browser (the cart it has seen, recent-action marks). */
  forget(): void;
}

/**
 * Hooks the storefront's markup (DESIGN.md section 5) and SPA router to the SDK: the eight events and identify
 * without theme code.
 */
export function startAutotrack(sdk: WizKlaviyo, options: AutotrackOptions): Autotrack {
  const win = globalThis as Window & typeof globalThis;
  if (typeof document === 'undefined') return { stop: () => undefined, forget: () => undefined };
  const reporter = createReporter({ tenant: options.tenant, debug: options.debug === true, onError: options.onError, now: Date.now });
  // sessionStorage: the cart seen and recent-action marks last as long as the tab, no longer.
  const session = browserStorage('sessionStorage');
  const ctx: AutotrackContext = {
    sdk,
    win,
    doc: document,
    cart: createCartMemory(session, options.tenant),
    report: (error) => reporter.error(error),
    checkoutPath: options.checkoutPath ?? /\/checkout(\/|\.|$)/,
    seen: new Set(),
    ...createMarks(session, options.tenant, Date.now),
  };
  const scan = () => {
    try {
      scanPage(ctx);
    } catch (error) {
      reporter.error(toWizError(error, 'invalid_markup', 'The page could not be read'));
    }
  };
  const stopListening = listenToShopper(ctx);
  const stopWatching = watchNavigation(win, () => {
    ctx.seen.clear(); // a new page view: the same product may be viewed again
    scan();
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan, { once: true });
  else scan();
  return {
    stop() {
      stopListening();
      stopWatching();
      document.removeEventListener('DOMContentLoaded', scan);
    },
    forget() {
      ctx.cart.clear();
      ctx.seen.clear();
      ctx.forgetMarks();
    },
  };
}
