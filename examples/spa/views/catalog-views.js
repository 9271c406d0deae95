// Browsing views: home, category, product, search results, not found.
// Each view returns { title, nodes, category?, product?, after? } for app.js to show.
import { breadcrumbs, el, priceTag, productGrid, showNotice } from '../dom.js';
import { cartAdded } from '../shop-events.js';
import {
  addToCart,
  categories,
  findCategory,
  findProduct,
  products,
  productsIn,
  searchProducts,
  toItem,
} from '../state.js';

export function homeView() {
  return {
    title: '',
    nodes: [
      el('section', { class: 'hero' }, [
        el('h1', { text: 'Made to last' }),
        el('p', { text: 'Linen, merino and waxed canvas from small European mills. Fewer, better things.' }),
        el('p', {}, [el('a', { class: 'button primary', href: '/spa/category/shirts', text: 'Shop shirts' })]),
      ]),
      el('h2', { text: 'Shop by category' }),
      el(
        'ul',
        { class: 'category-tiles' },
        categories.map((c) =>
          el('li', {}, [el('a', { href: `/spa/category/${c.slug}` }, [el('strong', { text: c.name }), ` ${c.blurb}`])]),
        ),
      ),
      el('h2', { text: 'Featured' }),
      productGrid(products.filter((p) => p.featured)),
    ],
  };
}

export function categoryView({ params: [slug] }) {
  const category = findCategory(slug);
  if (!category) return notFoundView();
  return {
    title: category.name,
    category: category.slug,
    nodes: [
      breadcrumbs([['Home', '/spa/'], [category.name]]),
      el('h1', { text: category.name }),
      el('p', { class: 'muted', text: category.blurb }),
      productGrid(productsIn(category)),
    ],
  };
}

/** The product view; app.js puts its schema.org Product into <head> as JSON-LD (that is what the SDK reads). */
export function productView({ params: [id] }) {
  const product = findProduct(id);
  if (!product) return notFoundView();
  const category = categories.find((c) => c.name === product.categories[0]);

  const quantity = el('input', { type: 'number', name: 'quantity', value: 1, min: 1, max: 99 });
  const form = el('form', { class: 'add-to-cart-form' }, [
    el('label', {}, ['Quantity ', quantity]),
    el('button', { type: 'submit', class: 'primary', text: 'Add to cart' }),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const count = Math.min(99, Math.max(1, Math.floor(Number(quantity.value)) || 1));
    const item = toItem(product);
    const cart = addToCart(item, count);
    cartAdded({ ...item, quantity: count }, cart);
    showNotice([
      `Added ${count} \u00d7 ${product.name} to your cart. `,
      el('a', { href: '/spa/cart', text: 'View cart' }),
    ]);
  });

  const related = products.filter((p) => p !== product && p.categories[0] === product.categories[0]);
  return {
    title: product.name,
    category: category.slug,
    product,
    nodes: [
      breadcrumbs([['Home', '/spa/'], [category.name, `/spa/category/${category.slug}`], [product.name]]),
      el('article', { class: 'product-detail' }, [
        el('img', { src: product.image, alt: product.name, width: 400, height: 400 }),
        el('div', {}, [
          el('p', { class: 'brand', text: product.brand }),
          el('h1', { text: product.name }),
          priceTag(product),
          el('p', { text: product.description }),
          form,
          el('p', { class: 'sku', text: `SKU ${product.sku} \u00b7 In stock \u00b7 Free shipping across the EU` }),
        ]),
      ]),
      el('section', {}, [el('h2', { text: `More ${category.name.toLowerCase()}` }), productGrid(related)]),
    ],
  };
}

/** Search results: [data-wk-search-results] with the count, which the SDK adds to the search form's Searched Site. */
export function searchView({ query }) {
  const term = (query.get('q') || '').trim();
  const matches = searchProducts(term);
  const summary = !term
    ? 'Type what you are looking for in the search box above.'
    : matches.length === 1
      ? '1 product found.'
      : `${matches.length} products found.`;
  return {
    title: term ? `Search: ${term}` : 'Search',
    nodes: [
      el(
        'section',
        { class: 'search-results', 'data-wk-search-results': true, 'data-wk-result-count': matches.length },
        [
          el('h1', { text: term ? `Results for \u201c${term}\u201d` : 'Search' }),
          el('p', { class: 'muted', text: summary }),
          productGrid(matches),
          term && matches.length === 0
            ? el('p', {}, ['Nothing matched. ', el('a', { href: '/spa/', text: 'Browse the shop' })])
            : null,
        ],
      ),
    ],
  };
}

export function notFoundView() {
  return {
    title: 'Page not found',
    nodes: [
      el('h1', { text: 'Page not found' }),
      el('p', {}, ['That page does not exist. ', el('a', { href: '/spa/', text: 'Back to the shop' })]),
    ],
  };
}
