import type { Cart, Order } from '../events/shapes.js';
import { RECENT_MS, type AutotrackContext } from './context.js';
import { absoluteLineUrls } from './markup.js';

const CHECKOUT_MARK = 'checkout-started';

/**
 * What the page scan and the shopper listeners both do, in one place each, so a checkout or an order seen by two
 * paths (a click and the page it opens; markup and a wizshop:* event) is recorded once.
 */

/** Runs `action` once per key in this page view. */
export function once(ctx: AutotrackContext, key: string, action: () => unknown): void {
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);
  void action();
}

/** Takes the storefront's own view of the cart (quantities changed, lines removed), with absolute URLs. */
export function rememberCart(ctx: AutotrackContext, cart: Cart | undefined): boolean {
  if (!cart || !Array.isArray(cart.lines)) return false;
  ctx.cart.set(absoluteLineUrls(cart, ctx.doc.baseURI));
  return true;
}

/**
 * Records Started Checkout unless this same cart started checkout in the last 10 minutes: a checkout click and the
 * checkout page it opens, or a shopper going back and forth between cart and checkout, are one checkout.
 * A changed cart is a new one.
 */
export function startCheckoutOnce(ctx: AutotrackContext, cart: Cart): void {
  if (cart.lines.length === 0) return;
  const mark = `${CHECKOUT_MARK}:${cart.lines.map((l) => `${l.id}/${l.variantId ?? ''}x${l.quantity}`).join(',')}`;
  if (ctx.markedWithin(mark, RECENT_MS)) return;
  ctx.mark(mark);
  void ctx.sdk.startedCheckout(cart);
}

/** Placed Order (and its Ordered Products) once per order id in this page view; the cart is done with. */
export function placeOrderOnce(ctx: AutotrackContext, order: Order): void {
  once(ctx, `order:${String(order?.id)}`, () => {
    ctx.cart.clear();
    return ctx.sdk.placedOrder(absoluteLineUrls(order, ctx.doc.baseURI));
  });
}
