// The shop's state: catalogue look-ups, the cart (localStorage), the account (localStorage) and the last order
// (sessionStorage). Nothing here knows about wiz-klaviyo.
const catalog = window.DemoCatalog;
const CART_KEY = 'demo-spa-cart';
const ACCOUNT_KEY = 'demo-spa-account';
const ORDER_KEY = 'demo-spa-last-order';
const DISCOUNTS = { WELCOME10: 0.1 };

export const CURRENCY = 'EUR';
export const SHOP_NAME = catalog.shopName;
export const COUNTRIES = {
  DE: 'Germany',
  AT: 'Austria',
  BE: 'Belgium',
  ES: 'Spain',
  FR: 'France',
  IE: 'Ireland',
  IT: 'Italy',
  NL: 'Netherlands',
};
export const categories = catalog.categories;
export const products = catalog.products;

export const round = (amount) => Math.round(amount * 100) / 100;
export const findProduct = (id) => products.find((p) => p.id === id);
export const findCategory = (slug) => categories.find((c) => c.slug === slug);
export const productsIn = (category) => products.filter((p) => p.categories.includes(category.name));

export function searchProducts(term) {
  const words = term.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return products.filter((p) => {
    const text = [p.name, p.brand, p.sku, p.description, ...p.categories].join(' ').toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** The storefront Product shape (DESIGN.md section 2), with absolute URLs as Klaviyo's emails need them. */
export function toItem(product) {
  const item = {
    id: product.id,
    name: product.name,
    sku: product.sku,
    price: product.price,
    url: new URL(`/spa/product/${product.id}`, location.origin).href,
    imageUrl: new URL(product.image, location.origin).href,
    categories: product.categories,
    brand: product.brand,
  };
  if (product.compareAtPrice) item.compareAtPrice = product.compareAtPrice;
  return item;
}

function read(storage, key) {
  try {
    const raw = window[storage].getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function write(storage, key, value) {
  try {
    if (value === null) window[storage].removeItem(key);
    else window[storage].setItem(key, JSON.stringify(value));
  } catch {
    // storage off or full: this view still works
  }
}

// --- cart ---------------------------------------------------------------------------------------------------------

const cartListeners = new Set();
export const onCartChange = (listener) => cartListeners.add(listener);

export function readCart() {
  const cart = read('localStorage', CART_KEY);
  if (cart && Array.isArray(cart.lines)) return cart;
  return {
    id: `cart-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    lines: [],
    total: 0,
    currency: CURRENCY,
  };
}

export const cartTotal = (cart) => round(cart.lines.reduce((sum, line) => sum + line.price * line.quantity, 0));
export const cartCount = (cart) => cart.lines.reduce((sum, line) => sum + line.quantity, 0);

function saveCart(cart) {
  const saved = {
    ...cart,
    total: cartTotal(cart),
    currency: CURRENCY,
    checkoutUrl: new URL('/spa/checkout', location.origin).href,
  };
  write('localStorage', CART_KEY, saved);
  cartListeners.forEach((listener) => listener(saved));
  return saved;
}

/** Adds `quantity` of an item; returns the whole cart after the add. */
export function addToCart(item, quantity) {
  const cart = readCart();
  const existing = cart.lines.find((line) => line.id === item.id);
  const lines = existing
    ? cart.lines.map((line) =>
        line === existing ? { ...line, quantity: Math.min(99, line.quantity + quantity) } : line,
      )
    : [...cart.lines, { ...item, quantity }];
  return saveCart({ ...cart, lines });
}

export function setQuantity(id, quantity) {
  const cart = readCart();
  const lines = cart.lines
    .map((line) => (line.id === id ? { ...line, quantity } : line))
    .filter((line) => line.quantity > 0);
  return saveCart({ ...cart, lines });
}

export function clearCart() {
  write('localStorage', CART_KEY, null);
  cartListeners.forEach((listener) => listener(readCart()));
}

export function discountFor(code, subtotal) {
  const rate =
    DISCOUNTS[
      String(code || '')
        .trim()
        .toUpperCase()
    ];
  return rate ? round(subtotal * rate) : 0;
}

// --- account and orders -------------------------------------------------------------------------------------------

export const readAccount = () => read('localStorage', ACCOUNT_KEY);
export const saveAccount = (account) => write('localStorage', ACCOUNT_KEY, account);
export const clearAccount = () => write('localStorage', ACCOUNT_KEY, null);
export const saveOrder = (order, email) => write('sessionStorage', ORDER_KEY, { order, email });
export const readOrder = () => read('sessionStorage', ORDER_KEY);
