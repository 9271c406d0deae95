import type { BuyerInput } from '../buyer-input.js';

/**
 * Who placed an order, from the order itself: `email` and `phone` at the top, else the billing address's; names from
 * the billing address. Undefined when the order names nobody (then Placed Order goes out under the anonymous_id).
 * Reads defensively: the order is the storefront's input and may be anything.
 */
export function orderBuyer(order: unknown): BuyerInput | undefined {
  if (!order || typeof order !== 'object') return undefined;
  const o = order as Record<string, unknown>;
  const billing = (o.billingAddress && typeof o.billingAddress === 'object' ? o.billingAddress : {}) as Record<
    string,
    unknown
  >;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const email = text(o.email) ?? text(billing.email);
  const phone = text(o.phone) ?? text(billing.phone);
  if (!email && !phone) return undefined;
  const buyer: BuyerInput = { email, phone, firstName: text(billing.firstName), lastName: text(billing.lastName) };
  for (const key of Object.keys(buyer) as Array<keyof BuyerInput>) if (buyer[key] === undefined) delete buyer[key];
  return buyer;
}
