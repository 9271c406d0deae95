/** Storefront-shaped inputs of the typed helpers; the same JSON the `data-wk-*` markup carries. */
export interface Product {
  id: string;
  name: string;
  sku?: string;
  variantId?: string;
  price?: number;
  compareAtPrice?: number;
  url?: string;
  imageUrl?: string;
  categories?: string[];
  brand?: string;
  /** ISO 4217 code of `price`, e.g. "EUR"; gives Viewed Product and Added to Cart their value_currency. */
  currency?: string;
}

export interface CartLine extends Product {
  quantity: number;
  /** Stable id of the order line; gives Ordered Product its unique_id. @default the line's position, from 1 */
  lineId?: string;
}

export interface Cart {
  id?: string;
  lines: CartLine[];
  /** Cart total; the sum of the lines when absent. */
  total?: number;
  /** ISO 4217, e.g. "EUR". */
  currency?: string;
  checkoutUrl?: string;
}

export interface Address {
  firstName?: string;
  lastName?: string;
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  region?: string;
  regionCode?: string;
  country?: string;
  countryCode?: string;
  zip?: string;
  phone?: string;
  /** The buyer's email, when the address form asks for it (used when the order has no `email`). */
  email?: string;
}

export interface Order extends Cart {
  id: string;
  total: number;
  /**
   * The buyer's email (else the billing address's): Placed Order first identifies the buyer with it (a 'checkout'
   * identify, no Logged In), so a guest checkout lands on the buyer's profile with their held browsing and cart.
   */
  email?: string;
  /** The buyer's phone in international form (else the billing address's); used like `email`. */
  phone?: string;
  discountCode?: string;
  discountValue?: number;
  billingAddress?: Address;
  shippingAddress?: Address;
}

/** The eight events, by the names the product article uses. */
export type StandardEvent =
  | 'Logged In'
  | 'Viewed Product'
  | 'Added to Cart'
  | 'Started Checkout'
  | 'Placed Order'
  | 'Ordered Product'
  | 'Searched Site'
  | 'Active on Site';
