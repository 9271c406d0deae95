import { toWizError } from '../errors.js';
import { readNumber } from '../events/numbers.js';
import type { Cart, CartLine, Order } from '../events/shapes.js';
import type { AutotrackContext } from './context.js';
import { absoluteUrls, readProductData } from './markup.js';
import { placeOrderOnce, rememberCart, startCheckoutOnce } from './actions.js';
import { searchSubmitted } from './search.js';

/**
 * Delegated listeners for what the shopper does: add to cart, checkout, search and sign-in forms, the checkout email
 * field, and the storefront's `wizshop:*` events. Capture phase, so a theme's stopPropagation() cannot hide them.
 * `earlier`: events held until this code arrived (early-events.ts), handled first. Returns the function that removes
 * them all.
 */
export function listenToShopper(ctx: AutotrackContext, earlier: Event[] = []): () => void {
  const { doc, win, sdk } = ctx;
  const removers: Array<() => void> = [];
  const handlers = new Map<string, (event: Event) => void>();
  const on = <E extends Event>(target: EventTarget, type: string, handler: (event: E) => void) => {
    const guarded = (event: Event) => {
      if (!ctx.mayCollect()) return; // nothing read or remembered without consent
      try {
        handler(event as E);
      } catch (error) {
        ctx.report(toWizError(error, 'invalid_markup', { rule: 'unreadable' }));
      }
    };
    handlers.set(type, guarded);
    target.addEventListener(type, guarded, true);
    removers.push(() => target.removeEventListener(type, guarded, true));
  };

  on<MouseEvent>(doc, 'click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const addButton = target?.closest('[data-wk-add-to-cart]');
    if (addButton) addToCart(addButton);
    if (target?.closest('[data-wk-checkout]')) startCheckoutOnce(ctx, ctx.cart.get());
  });

  on<SubmitEvent>(doc, 'submit', (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    if (!form) return;
    const kind = form.getAttribute('data-wk-identify');
    if (kind === 'login' || kind === 'signup') return void sdk.identify(buyerFrom(form), { reason: kind });
    if (isSearchForm(form)) {
      const input = form.querySelector<HTMLInputElement>('input[type=search], input[name=q]');
      const term = input?.value.trim();
      if (term) searchSubmitted(ctx, term);
    }
  });

  on<Event>(doc, 'change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute('data-wk-identify') !== 'checkout') return;
    const email = input.value.trim();
    if (email.includes('@')) void sdk.identify({ email }, { reason: 'checkout' });
  });

  on<CustomEvent>(win, 'wizshop:cart:add', ({ detail }) => {
    const { item, cart } = (detail ?? {}) as { item?: CartLine; cart?: Cart };
    const line = item && absoluteUrls(item, doc.baseURI);
    if (!rememberCart(ctx, cart) && line) ctx.cart.add(line);
    void sdk.addedToCart(line as CartLine, ctx.cart.get());
  });
  // Quantity changes and removals: no event for Klaviyo, but Started Checkout must carry the cart as it is.
  on<CustomEvent>(win, 'wizshop:cart:update', ({ detail }) => {
    rememberCart(ctx, (detail as { cart?: Cart } | null)?.cart);
  });
  on<CustomEvent>(win, 'wizshop:checkout:start', ({ detail }) => {
    rememberCart(ctx, (detail as { cart?: Cart } | null)?.cart);
    startCheckoutOnce(ctx, ctx.cart.get());
  });
  on<CustomEvent>(win, 'wizshop:order:placed', ({ detail }) => {
    placeOrderOnce(ctx, ((detail as { order?: Order } | null)?.order ?? detail) as Order);
  });
  on<CustomEvent>(win, 'wizshop:customer:login', ({ detail }) => void sdk.identify(detail, { reason: 'login' }));
  on<CustomEvent>(win, 'wizshop:customer:signup', ({ detail }) => void sdk.identify(detail, { reason: 'signup' }));

  function addToCart(button: Element): void {
    const product = readProductData(button, 'data-wk-add-to-cart');
    const item = absoluteUrls({ ...product, quantity: quantityFor(button) }, doc.baseURI);

    void sdk.addedToCart(item, ctx.cart.add(item));
  }

  // What the shopper did before this code arrived (the script tag's features file), in the order it happened.
  for (const event of earlier) handlers.get(event.type)?.(event);
  return () => removers.forEach((remove) => remove());
}

/** `data-wk-quantity` on the button, else the nearest quantity input in its form, else 1. */
function quantityFor(button: Element): number {
  const scope = button.closest('form') ?? button.parentElement;
  const input = scope?.querySelector<HTMLInputElement>('input[name=quantity]');
  return positive(button.getAttribute('data-wk-quantity')) ?? positive(input?.value) ?? 1;
}

/** A quantity of 0, "" or "lots" is no quantity. */
function positive(value: unknown): number | undefined {
  const n = readNumber(value);
  return n !== undefined && n > 0 ? n : undefined;
}

function isSearchForm(form: HTMLFormElement): boolean {
  return (
    form.hasAttribute('data-wk-search') ||
    form.getAttribute('role') === 'search' ||
    form.querySelector('input[type=search]') !== null
  );
}

function buyerFrom(form: HTMLFormElement): Record<string, string | undefined> {
  const value = (selector: string) => form.querySelector<HTMLInputElement>(selector)?.value.trim() || undefined;
  return {
    email: value('input[type=email], input[name=email]'),
    phone: value('input[type=tel], input[name=phone]'),
    firstName: value('input[name=firstName], input[name=first_name]'),
    lastName: value('input[name=lastName], input[name=last_name]'),
  };
}
