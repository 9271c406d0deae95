// Search results page: runs synchronously right after <section data-wk-search-results>, so the result count is on
// the element before DOMContentLoaded, when wiz-klaviyo reads ?q= and data-wk-result-count.
(function () {
  'use strict';

  var store = window.DemoStore;
  var catalog = window.DemoCatalog;
  var section = document.querySelector('[data-wk-search-results]');
  var term = (new URLSearchParams(window.location.search).get('q') || '').trim();
  var words = term.toLowerCase().split(/\s+/).filter(Boolean);

  // Keep the term in the header search box.
  var input = document.querySelector('form[role=search] input[name=q]');
  if (input) input.value = term;

  var matches = words.length
    ? catalog.products.filter(function (product) {
        var text = [product.name, product.brand, product.sku, product.description]
          .concat(product.categories)
          .join(' ')
          .toLowerCase();
        return words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
      })
    : [];

  section.setAttribute('data-wk-result-count', String(matches.length));
  if (term) document.title = 'Search: ' + term + ' \u00b7 ' + catalog.shopName;

  var heading = section.querySelector('h1');
  var summary = section.querySelector('.search-summary');
  var list = section.querySelector('.product-grid');
  heading.textContent = term ? 'Results for \u201c' + term + '\u201d' : 'Search';
  summary.textContent = !term
    ? 'Type what you are looking for in the search box above.'
    : matches.length === 1
      ? '1 product found.'
      : matches.length + ' products found.';
  matches.forEach(function (product) {
    list.append(store.productCard(product, { quickAdd: true }));
  });
  if (term && matches.length === 0) {
    section.append(
      store.el('p', {}, ['Nothing matched. ', store.el('a', { href: '/store/', text: 'Browse the shop' })]),
    );
  }
})();
