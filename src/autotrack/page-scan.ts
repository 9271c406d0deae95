import type { WizKlaviyoError } from '../errors';
import type { Cart, Order, Product } from '../events/shapes';
import { once, placeOrderOnce, rememberCart, startCheckoutOnce } from './actions';
import type { AutotrackContext } from './context';
import { absoluteUrls, productsFromJsonLd, readJsonData, readProductData } from './markup';

/** A search form submit marks its term; the results page it leads to must not record Searched Site again. */
export const SEARCH_MARK = 'searched';

const RECENT_MS = 10 * 60 * 1000;

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
  // A search form submit already recorded this term; the results page only covers direct landings (links, bookmarks).
  if (query && results && !ctx.markedWithin(`${SEARCH_MARK}:${query}`, RECENT_MS)) {
    const count = Number(results.getAttribute('data-wk-result-count'));
    once(ctx, `search:${query}`, () => ctx.sdk.searchedSite(query, Number.isFinite(count) ? count : undefined));
  }

  if (ctx.checkoutPath.test(win.location.pathname)) once(ctx, 'checkout', () => startCheckoutOnce(ctx, ctx.cart.get()));
}

function readSafely(ctx: AutotrackContext, element: Element, attribute: string, read: typeof readJsonData = readJsonData): unknown {
  try {
    return read(element, attribute);
  } catch (error) {
    ctx.report(error as WizKlaviyoError);
    return undefined;
  }
}
