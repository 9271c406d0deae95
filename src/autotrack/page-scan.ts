import type { WizKlaviyoError } from '../errors.js';
import { readNumber } from '../events/numbers.js';
import type { Cart, Order, Product } from '../events/shapes.js';
import { once, placeOrderOnce, rememberCart, startCheckoutOnce } from './actions.js';
import type { AutotrackContext } from './context.js';
import { absoluteUrls, productsFromJsonLd, readJsonData, readProductData } from './markup.js';
import { searchResultsShown } from './search.js';

/**
 * Looks at the page as it is now (on load and after each SPA navigation) and records what it shows:
 * a viewed product, a placed order, a search results page, a checkout page. Each at most once per page view.
 */
export function scanPage(ctx: AutotrackContext): void {
  const { doc, win } = ctx;
  const products: Product[] = productsFromJsonLd(doc, ctx.report);
  for (const element of Array.from(doc.querySelectorAll('[data-wk-product]'))) {
    const product = readSafely(ctx, element, 'data-wk-product', readProductData) as Product | undefined;
    if (product) products.push(product);
  }
  for (const product of products) {
    const viewed = absoluteUrls(product, doc.baseURI, win.location.href);
    once(ctx, `product:${product.id}`, () => ctx.sdk.viewedProduct(viewed));
  }

  // The cart page can state the cart as the shop sees it (quantities changed, lines removed).
  const cartElement = doc.querySelector('[data-wk-cart]');
  if (cartElement) rememberCart(ctx, readSafely(ctx, cartElement, 'data-wk-cart') as Cart | undefined);

  for (const element of Array.from(doc.querySelectorAll('[data-wk-order]'))) {
    const order = readSafely(ctx, element, 'data-wk-order') as Order | undefined;
    if (order) placeOrderOnce(ctx, order);
  }

  const query = new URLSearchParams(win.location.search).get('q')?.trim();
  const results = doc.querySelector('[data-wk-search-results]');
  if (query && results) searchResultsShown(ctx, query, resultCount(results));

  if (ctx.checkoutPath.test(win.location.pathname)) once(ctx, 'checkout', () => startCheckoutOnce(ctx, ctx.cart.get()));
}

/** `data-wk-result-count`; a missing or unreadable one is no count, not 0 results. */
function resultCount(results: Element): number | undefined {
  return readNumber(results.getAttribute('data-wk-result-count'));
}

function readSafely(
  ctx: AutotrackContext,
  element: Element,
  attribute: string,
  read: typeof readJsonData = readJsonData,
): unknown {
  try {
    return read(element, attribute);
  } catch (error) {
    ctx.report(error as WizKlaviyoError);
    return undefined;
  }
}
