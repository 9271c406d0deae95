import type { Plugin } from '../core/context.js';

/** Events sent at once even for a guest: held, an order would be dropped with the hold if nobody ever identified. */
const NEVER_HELD = new Set(['Placed Order', 'Ordered Product']);

/**
 * The guest hold alone: a guest's events are stored as held, and a buyer known from an earlier page gets what was
 * held. Part of `identity`; the script tag's first file has it on its own, so what is tracked before identify()'s
 * code arrives is held as it would be with it.
 */
export const guestHold: Plugin = {
  name: 'guestHold',
  inert: () => ({}),
  setup(ctx) {
    const { identity: buyer, options } = ctx;
    if (ctx.services.guestHold) return {}; // set up once: the script tag's first file did, before identity arrived
    ctx.services.guestHold = true;
    ctx.services.holdsGuestEvent = (event) =>
      options.guestEvents === 'hold' && !buyer.isKnown() && !NEVER_HELD.has(event);
    ctx.onStart(async () => {
      if (buyer.isKnown()) await ctx.delivery.releaseHeld(buyer.profile());
    });
    return {};
  },
};
