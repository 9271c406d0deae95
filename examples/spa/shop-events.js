// The storefront events wiz-klaviyo listens for (DESIGN.md section 5): dispatched on window, payload in `detail`.
// The SPA uses these instead of data-wk-add-to-cart, data-wk-cart, data-wk-checkout, data-wk-order and
// data-wk-identify login/signup forms, so each action is reported exactly once.

const dispatch = (name, detail) => window.dispatchEvent(new CustomEvent(name, { detail }));

/** After an add: the line added (with its quantity) and the whole cart after the add. */
export const cartAdded = (item, cart) => dispatch('wizshop:cart:add', { item, cart });

/** After a quantity change or a removal in the cart view: the whole cart as it is now (no Klaviyo event by itself). */
export const cartUpdated = (cart) => dispatch('wizshop:cart:update', { cart });

/** When the checkout view opens with something in the cart. */
export const checkoutStarted = (cart) => dispatch('wizshop:checkout:start', { cart });

/** Once the order is placed; the detail is the Order itself. */
export const orderPlaced = (order) => dispatch('wizshop:order:placed', order);

/** After a login: identify + Logged In. */
export const customerLoggedIn = (buyer) => dispatch('wizshop:customer:login', buyer);

/** After a signup: identify only (a new account is not a login). */
export const customerSignedUp = (buyer) => dispatch('wizshop:customer:signup', buyer);
