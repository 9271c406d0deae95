import { createCommerceHelpers, type CommerceHelpers } from '../commerce.js';
import type { Plugin } from '../core/context.js';

/** The typed helpers: storefront-shaped products, carts and orders in, Klaviyo's e-commerce events out. */
export const commerce: Plugin<CommerceHelpers> = {
  name: 'commerce',
  inert(reason) {
    const refused = async () => ({ ok: false as const, error: reason });
    return {
      viewedProduct: refused,
      addedToCart: refused,
      startedCheckout: refused,
      placedOrder: async () => [{ ok: false, error: reason }],
      searchedSite: refused,
    };
  },
  setup: (ctx) =>
    createCommerceHelpers({
      tracker: ctx.tracker,
      now: ctx.platform.clock.now,
      onsite: (method, ...args) => ctx.services.onsite(method, ...args),
      identify: (buyer, options) => ctx.services.identify(buyer, options),
    }),
};
