import type { Cart } from '../events/shapes';
import type { AutotrackContext } from './context';

const CHECKOUT_MARK = 'checkout-started';
const RECENT_MS = 10 * 60 * 1000;

/**
 * Records Started Checkout unless this same cart started checkout in the last 10 minutes: a checkout click and the
 * checkout page it opens, or a shopper going back and forth between cart and checkout, are one checkout.
 * A changed cart is a new one.
 */
export function startCheckoutOnce(ctx: AutotrackContext, cart: Cart): void {
  if (cart.lines.length === 0) return;
  const mark = `${CHECKOUT_MARK}:${cart.lines.map((l) => `${l.id}/${l.variantId ?? ''}x${l.quantity}`).join(',')}`;
  ctx.seen.add('checkout');
  if (ctx.markedWithin(mark, RECENT_MS)) return;
  ctx.mark(mark);
  void ctx.sdk.startedCheckout(cart);
}
