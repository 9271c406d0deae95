import type { BuyerInput } from './buyer-input.js';
import { readInput } from './errors.js';
import * as catalog from './events/catalog.js';
import type { TrackOptions } from './events/event-options.js';
import { orderBuyer } from './events/order-buyer.js';
import type { Cart, CartLine, Order, Product } from './events/shapes.js';
import type { Tracker, TrackResult } from './tracker.js';

/** The typed helpers of the instance: storefront shapes in, Klaviyo's e-commerce events out. */
export interface CommerceHelpers {
  /** Viewed Product (and klaviyo.js's Recently Viewed Items). */
  viewedProduct(product: Product): Promise<TrackResult>;
  /** Added to Cart; `cart` is the whole cart after the add (the item alone when omitted). */
  addedToCart(item: CartLine, cart?: Cart): Promise<TrackResult>;
  /** Started Checkout with the cart's items; unique_id is the cart id plus the time. */
  startedCheckout(cart: Cart): Promise<TrackResult>;
  /**
   * Placed Order, then one Ordered Product per line; resolves with all their results, Placed Order first. An order
   * with an email or phone identifies the buyer first ('checkout': no Logged In); one with neither is sent under the
   * anonymous_id at once. Orders are never held.
   */
  placedOrder(order: Order): Promise<TrackResult[]>;
  /**
   * Searched Site with the term and, when known, how many results it found. `options` as track()'s: a search form
   * submit passes its own uniqueId and awaitDetailMs, so the results page can amend() the count in.
   */
  searchedSite(term: string, resultCount?: number, options?: TrackOptions): Promise<TrackResult>;
}

export interface CommerceDeps {
  tracker: Tracker;
  now: () => number;
  /** Calls klaviyo.js (trackViewedItem feeds Recently Viewed Items). */
  onsite: (method: string, ...args: unknown[]) => void;
  /** The instance's identify(), for the buyer an order names. */
  identify: (buyer: BuyerInput, options: { reason: 'checkout' }) => Promise<unknown>;
}

export function createCommerceHelpers({ tracker, now, onsite, identify }: CommerceDeps): CommerceHelpers {
  /**
   * Runs a catalog builder, then `before` (when the input was valid), then records the events in order. A refusal
   * (a product without id, say) becomes a result, never an exception.
   */
  async function trackAll(
    build: () => catalog.CatalogEvent[],
    before?: () => Promise<unknown>,
  ): Promise<TrackResult[]> {
    const events = readInput(build, 'invalid_properties', { field: 'input' });
    if (!events.ok) return [tracker.refuse(events.error)];
    await before?.();
    const results: TrackResult[] = [];
    for (const e of events.value) results.push(await tracker.record(e.event, e.properties, e.options));
    return results;
  }
  const trackOne = async (build: () => catalog.CatalogEvent) => (await trackAll(() => [build()]))[0];

  return {
    async viewedProduct(product) {
      const result = await trackOne(() => catalog.viewedProduct(product));
      if (result.ok) onsite('trackViewedItem', catalog.viewedItem(product));
      return result;
    },
    addedToCart: (item, cart) => trackOne(() => catalog.addedToCart(item, cart)),
    startedCheckout: (cart) => trackOne(() => catalog.startedCheckout(cart, now())),
    placedOrder(order) {
      // The buyer first, so the order lands on their profile and releases what they did as a guest.
      let buyer: BuyerInput | undefined;
      return trackAll(
        () => {
          const events = catalog.placedOrder(order);
          buyer = orderBuyer(order);
          return events;
        },
        async () => buyer && (await identify(buyer, { reason: 'checkout' })),
      );
    },
    searchedSite: (term, resultCount, options) =>
      trackOne(() => {
        const built = catalog.searchedSite(term, resultCount);
        return { ...built, options: { ...built.options, ...options } };
      }),
  };
}
