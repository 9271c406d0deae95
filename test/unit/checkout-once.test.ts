import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAutotrack, type Autotrack } from '../../src/autotrack/index';
import { createTestClient } from '../support/harness';

/** A real instance (auto-tracking asks its gate) whose helpers only record what auto-tracking asks of them. */
function recordingSdk() {
  const checkouts: unknown[] = [];
  const ok = async () => ({ ok: true as const, uniqueId: 'x' });
  const { client: sdk } = createTestClient();
  Object.assign(sdk, {
    startedCheckout: async (cart: unknown) => (checkouts.push(cart), ok()),
    addedToCart: ok,
    viewedProduct: ok,
  });
  return { sdk, checkouts };
}

const cartWith = (quantity: number) => ({ lines: [{ id: 'p1', name: 'Linen Shirt', price: 49, quantity }] });
const startCheckout = (cart: unknown) =>
  window.dispatchEvent(new CustomEvent('wizshop:checkout:start', { detail: { cart } }));

let autotrack: Autotrack | undefined;
beforeEach(() => sessionStorage.clear());
afterEach(() => autotrack?.stop());

describe('Started Checkout from auto-tracking', () => {
  it('is recorded once when the shopper goes back and forth to checkout with the same cart', () => {
    const { sdk, checkouts } = recordingSdk();
    autotrack = startAutotrack(sdk);
    startCheckout(cartWith(1));
    startCheckout(cartWith(1));
    expect(checkouts).toHaveLength(1);
  });

  it('is recorded again when the cart changed in between', () => {
    const { sdk, checkouts } = recordingSdk();
    autotrack = startAutotrack(sdk);
    startCheckout(cartWith(1));
    startCheckout(cartWith(2));
    expect(checkouts).toHaveLength(2);
  });

  it('counts a checkout link click and the checkout page it opens as one', () => {
    const { sdk, checkouts } = recordingSdk();
    const link = document.createElement('a');
    link.setAttribute('data-wk-checkout', '');
    document.body.replaceChildren(link);
    autotrack = startAutotrack(sdk);
    window.dispatchEvent(new CustomEvent('wizshop:cart:update', { detail: { cart: cartWith(1) } }));
    link.click();
    autotrack.stop();
    // The next page: a fresh auto-tracking on the checkout path, same tab (sessionStorage kept).
    history.replaceState({}, '', '/checkout/');
    autotrack = startAutotrack(sdk);
    expect(checkouts).toHaveLength(1);
    history.replaceState({}, '', '/');
  });
});
