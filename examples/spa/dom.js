// DOM building blocks for the views: everything is made with createElement and textContent.
const money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });

export const formatPrice = (amount) => money.format(amount);

/** el('a', { href: '/spa/', text: 'Home' }) or el('ul', { class: 'x' }, [children]); strings become text nodes. */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}

export function priceTag(product) {
  return el('p', { class: 'price' }, [
    formatPrice(product.price),
    product.compareAtPrice ? el('s', { text: formatPrice(product.compareAtPrice) }) : null,
  ]);
}

/** A card in a product list: a link, never a product view (no JSON-LD, no data-wk-product). */
export function productCard(product) {
  return el('li', { class: 'product-card' }, [
    product.compareAtPrice ? el('span', { class: 'badge', text: 'Sale' }) : null,
    el('a', { href: `/spa/product/${product.id}` }, [
      el('img', { src: product.image, alt: product.name, width: 400, height: 400 }),
      el('h3', { text: product.name }),
    ]),
    el('p', { class: 'brand', text: product.brand }),
    priceTag(product),
  ]);
}

export function productGrid(products) {
  return el('ul', { class: 'product-grid' }, products.map(productCard));
}

export function summaryLines(lines) {
  return el(
    'ul',
    { class: 'summary-lines' },
    lines.map((line) =>
      el('li', {}, [
        el('span', { text: `${line.name} \u00d7 ${line.quantity}` }),
        el('span', { text: formatPrice(line.price * line.quantity) }),
      ]),
    ),
  );
}

/** rows: [label, amount text, class?] */
export function totalsList(rows) {
  return el(
    'dl',
    { class: 'totals' },
    rows.map(([label, value, className]) =>
      el('div', { class: className }, [el('dt', { text: label }), el('dd', { text: value })]),
    ),
  );
}

export function breadcrumbs(parts) {
  const nodes = [];
  parts.forEach(([label, href], index) => {
    if (index > 0) nodes.push(' / ');
    nodes.push(href ? el('a', { href, text: label }) : label);
  });
  return el('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' }, nodes);
}

/** A status message at the top of the current view. */
export function showNotice(children) {
  const main = document.querySelector('main');
  main.querySelector('.notice')?.remove();
  main.prepend(el('div', { class: 'notice', role: 'status' }, children));
}

/** Trimmed value of a named form field. */
export function fieldValue(form, name) {
  const field = form.elements.namedItem(name);
  return field ? String(field.value).trim() : '';
}
