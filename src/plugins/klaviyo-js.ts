import type { Plugin } from '../core/context.js';
import { WizKlaviyoError } from '../errors.js';
import { installKlaviyoObject, loadOnsite, offlineOnsite, type Onsite } from '../onsite.js';

/** klaviyo.js sends its own Active on Site; ours stands in only when it is blocked or off, once per 30 minutes. */
const ACTIVE_ON_SITE_EVERY_MS = 30 * 60 * 1000;

/**
 * Klaviyo's onsite JS: `window.klaviyo` from the first moment (Klaviyo's documented object), klaviyo.js itself once
 * the gate allows sending, and our own Active on Site where klaviyo.js is blocked or turned off.
 */
/**
 * `window.klaviyo` alone, from the first moment: the script tag's first file has it, so storefront code can call
 * `klaviyo.…` before the features file (with klaviyoJs) is here. Part of klaviyoJs.
 */
export const klaviyoObject: Plugin = {
  name: 'klaviyoObject',
  inert: () => ({}),
  setup(ctx) {
    const win = ctx.platform.window;
    if (win) installKlaviyoObject(win as never);
    return {};
  },
};

export const klaviyoJs: Plugin = {
  name: 'klaviyo.js',
  inert: () => ({}),
  setup(ctx) {
    const { options, services, platform } = ctx;
    const win = platform.window as (Window & typeof globalThis) | undefined;
    let onsite: Onsite = offlineOnsite(win);
    let loaded = false;
    services.onsite = (method, ...args) => onsite.call(method, ...args);
    services.onsiteState = () => onsite.state();

    ctx.onGateOpen(() => {
      if (loaded) return;
      loaded = true;
      if (options.onsite && win?.document) {
        onsite = loadOnsite({
          siteKey: options.siteKey,
          host: options.onsiteHost,
          nonce: options.nonce,
          win,
          doc: win.document,
        });
      }
      void afterLoad(onsite);
    });

    async function afterLoad(current: Onsite): Promise<void> {
      const state = await current.settled;
      if (state === 'loaded') services.onsiteVisitorChanged();
      if (state === 'blocked') ctx.report.error(new WizKlaviyoError('onsite_blocked', { host: options.onsiteHost }));
      // Ours stands in for klaviyo.js's own, so only where klaviyo.js itself would have been allowed to send it.
      if (state !== 'loaded' && win?.location && ctx.gate.maySend()) await activeOnSite(win.location.href);
    }

    async function activeOnSite(url: string): Promise<void> {
      const now = platform.clock.now();
      const last = (await ctx.meta.get<number>('active-on-site-at').catch(() => undefined)) ?? 0;
      if (now - last < ACTIVE_ON_SITE_EVERY_MS) return;
      await ctx.meta.set('active-on-site-at', now).catch(() => undefined);
      await ctx.tracker.record('Active on Site', { URL: url });
    }

    return {};
  },
};
