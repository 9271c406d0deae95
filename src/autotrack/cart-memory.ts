import type { Cart, CartLine } from '../events/shapes.js';
import { readJson, removeItem, storageKey, writeJson } from '../web-storage.js';

/**
 * The cart as auto-tracking has seen it, kept in sessionStorage per tenant, so a Started Checkout on another page
 * still carries the items added on the product pages.
 */
export interface CartMemory {
  get(): Cart;
  /** Adds a line the shopper just put in the cart; returns the cart after the add. */
  add(line: CartLine): Cart;
  /** Replaces the cart with the storefront's own view of it. */
  set(cart: Cart): void;
  clear(): void;
}

export function createCartMemory(storage: Storage | undefined, tenant: string): CartMemory {
  const key = storageKey(tenant, 'cart');
  // Storage off or full: this page's memory still works.
  let memory: Cart = { lines: [] };

  function get(): Cart {
    return usable(readJson(storage, key)) ?? memory;
  }

  function set(cart: Cart): void {
    const kept = usable(cart);
    if (!kept) return;
    memory = kept;
    writeJson(storage, key, kept);
  }

  return {
    get,
    add(line) {
      const cart = get();
      const same = cart.lines.find((l) => l.id === line.id && l.variantId === line.variantId);
      const lines = same
        ? cart.lines.map((l) => (l === same ? { ...l, quantity: l.quantity + line.quantity } : l))
        : [...cart.lines, line];
      const next = { ...cart, lines, total: undefined };
      set(next);
      return next;
    },
    set,
    clear() {
      memory = { lines: [] };
      removeItem(storage, key);
    },
  };
}

/**
 * One bad wizshop:cart:add detail or tampered storage must not poison every later Started Checkout: only a cart with a
 * lines array is kept, and only lines with an id and a name.
 */
function usable(cart: unknown): Cart | undefined {
  if (!cart || typeof cart !== 'object' || !Array.isArray((cart as Cart).lines)) return undefined;
  const named = (value: unknown) =>
    (typeof value === 'string' || typeof value === 'number') && String(value).trim() !== '';
  const lines = (cart as Cart).lines.filter(
    (line) => line && typeof line === 'object' && named(line.id) && named(line.name),
  );
  return { ...(cart as Cart), lines };
}
