import type { WizKlaviyo } from '../client.js';
import { contextOf } from '../core/create.js';
import type { CoreContext, Plugin } from '../core/context.js';
import { toWizError } from '../errors.js';
import { browserStorage } from '../web-storage.js';
import { createCartMemory } from './cart-memory.js';
import { createMarks, type AutotrackContext } from './context.js';
import { listenToShopper } from './dom-listeners.js';
import { scanPage } from './page-scan.js';
import { watchNavigation } from './router.js';

export interface AutotrackOptions {
  /** Pages that count as checkout when reached. @default paths with a "/checkout" segment */
  checkoutPath?: RegExp;
}

export interface Autotrack {
  /** Removes every listener and the router hooks. */
  stop(): void;
  /** Deletes what auto-tracking remembers in the browser (the cart it has seen, recent-action marks). */
  forget(): void;
}

const NOTHING: Autotrack = { stop: () => undefined, forget: () => undefined };

/**
 * Auto-tracking as a plugin: the instance watches the page from the moment its stored state is known. It needs the
 * commerce helpers and identify (allFeatures has them).
 */
export function autotrack(
  options: AutotrackOptions = {},
  /** The script tag's: the shopper events that happened before this code arrived (early-events.ts). */
  earlier?: () => Event[],
): Plugin {
  return {
    name: 'autotrack',
    inert: () => ({}),
    setup(ctx) {
      let watcher: Autotrack | undefined;
      let destroyed = false;
      void ctx.ready.then(() => {
        if (!destroyed) watcher = watch(ctx, ctx.instance() as WizKlaviyo, options, earlier?.());
      });
      ctx.onDestroy(() => {
        destroyed = true;
        watcher?.stop();
      });
      return {};
    },
  };
}

/**
 * Hooks the storefront's markup and SPA router to an instance made by createWizKlaviyo: the eight events and identify
 * without theme code. It reports, keys its storage and asks the gate through that instance; an instance that does
 * nothing (refused options, tenant off) watches nothing.
 */
export function startAutotrack(sdk: WizKlaviyo, options: AutotrackOptions = {}): Autotrack {
  const ctx = contextOf(sdk);
  return ctx ? watch(ctx, sdk, options) : NOTHING;
}

function watch(core: CoreContext, sdk: WizKlaviyo, options: AutotrackOptions, earlier?: Event[]): Autotrack {
  // The page itself, not platform.window: tests keep delivery away from the DOM, auto-tracking reads it.
  if (typeof document === 'undefined') return NOTHING;
  const win = globalThis as Window & typeof globalThis;
  const doc = document;
  const tenant = core.options.tenant;
  // sessionStorage: the cart seen and recent-action marks last as long as the tab, no longer.
  const session = browserStorage('sessionStorage');
  const ctx: AutotrackContext = {
    sdk,
    win,
    doc,
    cart: createCartMemory(session, tenant),
    report: (error) => core.report.error(error),
    // Asked before anything is read from the page or remembered: no consent, no cart in sessionStorage either.
    mayCollect: () => !core.gate.refusal(),
    checkoutPath: options.checkoutPath ?? /\/checkout(\/|\.|$)/,
    seen: new Set(),
    ...createMarks(session, tenant, core.platform.clock.now),
  };
  const scan = () => {
    if (!ctx.mayCollect()) return;
    try {
      scanPage(ctx);
    } catch (error) {
      core.report.error(toWizError(error, 'invalid_markup', { rule: 'unreadable' }));
    }
  };
  const stopListening = listenToShopper(ctx, earlier);
  const stopWatching = watchNavigation(win, () => {
    ctx.seen.clear(); // a new page view: the same product may be viewed again
    scan();
  });
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', scan, { once: true });
  else scan();
  const forget = () => {
    ctx.cart.clear();
    ctx.seen.clear();
    ctx.forgetMarks();
  };
  core.onForget(forget); // consent withdrawn: the cart seen goes with the queue
  return {
    stop() {
      stopListening();
      stopWatching();
      doc.removeEventListener('DOMContentLoaded', scan);
    },
    forget,
  };
}
