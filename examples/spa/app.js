// Linden & Loom as a single-page app: the shell (header, footer) is static in index.html, views are rendered into
// <main> by a small history router. wiz-klaviyo is only loaded by its script tag; the app talks to it through
// the page itself: JSON-LD on product views, [data-wk-search-results], [data-wk-identify=checkout], and the
// wizshop:* events in shop-events.js.
import { fieldValue } from './dom.js';
import { navigate, startRouter } from './router.js';
import { cartCount, onCartChange, readAccount, readCart, SHOP_NAME, toItem } from './state.js';
import { accountView, loginView, signupView } from './views/account-views.js';
import { categoryView, homeView, notFoundView, productView, searchView } from './views/catalog-views.js';
import { cartView, checkoutView, orderView } from './views/checkout-views.js';

// The standard stub: calls made before the SDK has loaded queue up (the app only needs reset() on logout).
window.wizKlaviyo = window.wizKlaviyo || [];

const routes = [
  [/^\/spa\/?$/, homeView],
  [/^\/spa\/category\/([\w-]+)\/?$/, categoryView],
  [/^\/spa\/product\/([\w-]+)\/?$/, productView],
  [/^\/spa\/search\/?$/, searchView],
  [/^\/spa\/cart\/?$/, cartView],
  [/^\/spa\/checkout\/?$/, checkoutView],
  [/^\/spa\/order\/?$/, orderView],
  [/^\/spa\/login\/?$/, loginView],
  [/^\/spa\/signup\/?$/, signupView],
  [/^\/spa\/account\/?$/, accountView],
];

const root = document.getElementById('view');
const searchForm = document.querySelector('form[role=search]');

/** The current product as schema.org JSON-LD in <head>, replacing the previous view's (if any). */
function setProductJsonLd(product) {
  document.head.querySelector('script[data-spa-product]')?.remove();
  if (!product) return;
  const item = toItem(product);
  const script = document.createElement('script');
  script.type = 'application/ld+json';
  script.setAttribute('data-spa-product', product.id);
  script.textContent = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: item.name,
    sku: item.sku,
    productID: item.id,
    image: item.imageUrl,
    url: item.url,
    description: product.description,
    brand: { '@type': 'Brand', name: item.brand },
    category: item.categories.join(' > '),
    offers: {
      '@type': 'Offer',
      price: item.price.toFixed(2),
      priceCurrency: 'EUR',
      availability: 'https://schema.org/InStock',
      url: item.url,
    },
  });
  document.head.append(script);
}

function updateHeader(cart = readCart()) {
  document.getElementById('cart-count').textContent = String(cartCount(cart));
  const account = readAccount();
  const link = document.getElementById('account-link');
  // The first name, else the email's local part: a whole address would wrap the header (as in the MPA store).
  const who = account && (account.firstName || String(account.email || '').split('@')[0]);
  link.textContent = account ? (who ? `Account (${who})` : 'Account') : 'Log in';
  if (account?.email) link.setAttribute('title', account.email);
  else link.removeAttribute('title');
  link.setAttribute('href', account ? '/spa/account' : '/spa/login');
}

function render(view, context) {
  const result = (view ?? notFoundView)(context);
  setProductJsonLd(result.product ?? null);
  root.replaceChildren(...result.nodes.filter(Boolean));
  document.title = result.title ? `${result.title} \u00b7 ${SHOP_NAME}` : `${SHOP_NAME}: linen, wool and canvas goods`;
  for (const link of document.querySelectorAll('.main-nav a')) {
    if (link.dataset.category === result.category) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  searchForm.elements.namedItem('q').value = view === searchView ? (context.query.get('q') ?? '') : '';
  updateHeader();
  if (context.push) window.scrollTo(0, 0);
  result.after?.();
}

// The SDK records Searched Site on the submit itself (the results view adds its count); the app only routes.
searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const term = fieldValue(searchForm, 'q');
  navigate(term ? `/spa/search?q=${encodeURIComponent(term)}` : '/spa/search');
});
onCartChange(updateHeader);
window.addEventListener('storage', () => updateHeader());

startRouter(routes, render);
