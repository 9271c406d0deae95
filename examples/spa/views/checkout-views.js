// Cart, checkout and order confirmation views.
import { el, fieldValue, formatPrice, summaryLines, totalsList } from '../dom.js';
import { navigate } from '../router.js';
import { cartUpdated, checkoutStarted, orderPlaced } from '../shop-events.js';
import {
  COUNTRIES,
  CURRENCY,
  cartTotal,
  clearCart,
  discountFor,
  readCart,
  readOrder,
  round,
  saveOrder,
  setQuantity,
} from '../state.js';

export function cartView() {
  const list = el('ul', { class: 'cart-lines' });
  const empty = el('p', {}, ['Your cart is empty. ', el('a', { href: '/spa/', text: 'Continue shopping' }), '.']);
  const totals = el('div');
  // A plain router link: the checkout view itself reports Started Checkout (wizshop:checkout:start).
  const summary = el('aside', { class: 'summary' }, [
    el('h2', { text: 'Summary' }),
    totals,
    el('a', { class: 'button primary', href: '/spa/checkout', text: 'Checkout' }),
    el('p', { class: 'muted', text: 'Taxes included. Free shipping across the EU.' }),
  ]);

  function render() {
    const cart = readCart();
    empty.hidden = cart.lines.length > 0;
    summary.hidden = cart.lines.length === 0;
    list.replaceChildren(...cart.lines.map((line) => cartLine(line, render)));
    const total = formatPrice(cartTotal(cart));
    totals.replaceChildren(
      totalsList([
        ['Subtotal', total],
        ['Shipping', 'Free'],
        ['Total', total, 'grand'],
      ]),
    );
  }
  render();

  return {
    title: 'Your cart',
    nodes: [
      el('h1', { text: 'Your cart' }),
      el('div', { class: 'cart-layout' }, [el('div', {}, [empty, list]), summary]),
    ],
  };
}

function cartLine(line, rerender) {
  const quantity = el('input', {
    type: 'number',
    min: 0,
    max: 99,
    value: line.quantity,
    'aria-label': `Quantity of ${line.name}`,
  });
  // The shop's cart changed without an add: tell wiz-klaviyo, so Started Checkout carries the cart as it is now.
  quantity.addEventListener('change', () => {
    cartUpdated(setQuantity(line.id, Math.max(0, Math.min(99, Math.floor(Number(quantity.value)) || 0))));
    rerender();
  });
  const remove = el('button', { type: 'button', class: 'link', text: 'Remove' });
  remove.addEventListener('click', () => {
    cartUpdated(setQuantity(line.id, 0));
    rerender();
  });
  return el('li', { class: 'cart-line' }, [
    el('img', { src: line.imageUrl, alt: '', width: 80, height: 80 }),
    el('div', {}, [
      el('h3', {}, [el('a', { href: new URL(line.url).pathname, text: line.name })]),
      el('span', { class: 'sku', text: `SKU ${line.sku} \u00b7 ${formatPrice(line.price)} each` }),
      el('div', { class: 'controls' }, [quantity, remove]),
    ]),
    el('strong', { text: formatPrice(line.price * line.quantity) }),
  ]);
}

const input = (label, attributes) =>
  el('label', {}, [`${label} `, el('input', { type: 'text', required: true, ...attributes })]);

export function checkoutView() {
  const cart = readCart();
  const codeHint = el('p', { class: 'muted', 'aria-live': 'polite' });
  const submit = el('button', {
    type: 'submit',
    class: 'primary',
    text: 'Place order',
    disabled: cart.lines.length === 0,
  });
  const form = el('form', { class: 'checkout-form' }, [
    el('fieldset', {}, [
      el('legend', { text: 'Contact' }),
      // The SDK identifies the buyer when this field changes (a delegated listener, so it works in the SPA too).
      input('Email', { type: 'email', name: 'email', autocomplete: 'email', 'data-wk-identify': 'checkout' }),
    ]),
    el('fieldset', {}, [
      el('legend', { text: 'Shipping address' }),
      el('div', { class: 'field-row' }, [
        input('First name', { name: 'firstName', autocomplete: 'given-name' }),
        input('Last name', { name: 'lastName', autocomplete: 'family-name' }),
      ]),
      input('Street and number', { name: 'address1', autocomplete: 'address-line1' }),
      el('div', { class: 'field-row' }, [
        input('Postcode', { name: 'zip', autocomplete: 'postal-code' }),
        input('City', { name: 'city', autocomplete: 'address-level2' }),
      ]),
      el('label', {}, [
        'Country ',
        el(
          'select',
          { name: 'countryCode', autocomplete: 'country', required: true },
          Object.entries(COUNTRIES).map(([code, name]) => el('option', { value: code, text: name })),
        ),
      ]),
      el('p', { class: 'muted', text: 'The billing address is the same as the shipping address.' }),
    ]),
    el('fieldset', {}, [
      el('legend', { text: 'Discount code' }),
      el('label', {}, [
        'Code ',
        el('input', { type: 'text', name: 'discountCode', autocomplete: 'off', placeholder: 'WELCOME10' }),
      ]),
      codeHint,
    ]),
    submit,
    el('p', { class: 'muted', text: 'This is a demo store: no payment is taken and nothing is shipped.' }),
  ]);
  const summary = el('aside', { class: 'summary' });

  function renderSummary() {
    const subtotal = cartTotal(cart);
    const code = fieldValue(form, 'discountCode').toUpperCase();
    const discount = discountFor(code, subtotal);
    codeHint.textContent = code && !discount ? 'That code is not valid.' : discount ? 'Code applied.' : '';
    const rows = [['Subtotal', formatPrice(subtotal)]];
    if (discount) rows.push([`Discount (${code})`, `\u2212${formatPrice(discount)}`]);
    rows.push(['Shipping', 'Free'], ['Total', formatPrice(round(subtotal - discount)), 'grand']);
    summary.replaceChildren(
      el('h2', { text: 'Order summary' }),
      cart.lines.length
        ? summaryLines(cart.lines)
        : el('p', { class: 'muted' }, ['Your cart is empty. ', el('a', { href: '/spa/', text: 'Keep shopping' })]),
      totalsList(rows),
    );
  }
  form.elements.namedItem('discountCode').addEventListener('input', renderSummary);
  renderSummary();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (cart.lines.length === 0) return;
    const countryCode = fieldValue(form, 'countryCode');
    const address = {
      firstName: fieldValue(form, 'firstName'),
      lastName: fieldValue(form, 'lastName'),
      address1: fieldValue(form, 'address1'),
      city: fieldValue(form, 'city'),
      zip: fieldValue(form, 'zip'),
      country: COUNTRIES[countryCode] ?? countryCode,
      countryCode,
    };
    const subtotal = cartTotal(cart);
    const code = fieldValue(form, 'discountCode').toUpperCase();
    const discount = discountFor(code, subtotal);
    const order = {
      id: `LL-${String(Date.now()).slice(-7)}`,
      lines: cart.lines.map(({ id, name, sku, price, quantity, url, imageUrl, categories, brand }) => ({
        id,
        name,
        sku,
        price,
        quantity,
        url,
        imageUrl,
        categories,
        brand,
      })),
      total: round(subtotal - discount),
      currency: CURRENCY,
      email: fieldValue(form, 'email'), // the buyer of a guest checkout: Placed Order identifies them with it
      ...(discount ? { discountCode: code, discountValue: discount } : {}),
      billingAddress: address,
      shippingAddress: { ...address },
    };
    saveOrder(order, fieldValue(form, 'email'));
    clearCart();
    orderPlaced(order);
    navigate('/spa/order');
  });

  return {
    title: 'Checkout',
    nodes: [el('h1', { text: 'Checkout' }), el('div', { class: 'checkout-layout' }, [form, summary])],
    // Reached with something in the cart: that is a started checkout.
    after: () => {
      if (cart.lines.length > 0) checkoutStarted(cart);
    },
  };
}

export function orderView() {
  const saved = readOrder();
  if (!saved?.order) {
    return {
      title: 'Order confirmation',
      nodes: [
        el('h1', { text: 'No recent order' }),
        el('p', {}, [
          'We could not find an order from this visit. ',
          el('a', { href: '/spa/', text: 'Continue shopping' }),
        ]),
      ],
    };
  }
  const { order, email } = saved;
  const address = (a) =>
    el('address', {}, [
      `${a.firstName} ${a.lastName}`,
      el('br'),
      a.address1,
      el('br'),
      `${a.zip} ${a.city}`,
      el('br'),
      a.country,
    ]);
  const rows = [];
  if (order.discountCode) rows.push([`Discount (${order.discountCode})`, `\u2212${formatPrice(order.discountValue)}`]);
  rows.push(['Shipping', 'Free'], ['Total paid', formatPrice(order.total), 'grand']);
  return {
    title: `Order ${order.id}`,
    nodes: [
      el('h1', { text: `Thank you, ${order.billingAddress.firstName}!` }),
      el('p', {}, [
        'Your order ',
        el('strong', { text: order.id }),
        ` is confirmed.${email ? ` A confirmation is on its way to ${email}.` : ''}`,
      ]),
      el('div', { class: 'summary' }, [
        el('h2', { text: 'Order summary' }),
        summaryLines(order.lines),
        totalsList(rows),
        el('div', { class: 'addresses' }, [
          el('div', {}, [el('h3', { text: 'Shipping to' }), address(order.shippingAddress)]),
          el('div', {}, [el('h3', { text: 'Billing address' }), address(order.billingAddress)]),
        ]),
      ]),
      el('p', {}, [el('a', { class: 'button', href: '/spa/', text: 'Continue shopping' })]),
    ],
  };
}
