// Linden & Loom storefront: the shop's own behaviour (cart in localStorage, header, checkout, account).
// It never calls wiz-klaviyo for what auto-tracking sees: the pages carry the data-wk-* markup and the SDK reads it.
// Loaded synchronously in <head>, so the page scripts placed in the body (search-results.js,
// order-confirmation.js) can use window.DemoStore while the page is still being parsed.

// The standard stub: calls made before the SDK has loaded queue up here (this shop only needs reset() on logout).
window.wizKlaviyo = window.wizKlaviyo || [];

(function () {
  'use strict';

  var CART_KEY = 'demo-cart';
  var ACCOUNT_KEY = 'demo-account';
  var ORDER_KEY = 'demo-last-order';
  var CURRENCY = 'EUR';
  var DISCOUNTS = { WELCOME10: 0.1 };
  var COUNTRIES = {
    DE: 'Germany',
    AT: 'Austria',
    BE: 'Belgium',
    ES: 'Spain',
    FR: 'France',
    IE: 'Ireland',
    IT: 'Italy',
    NL: 'Netherlands',
  };
  var money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: CURRENCY });

  // --- small helpers ------------------------------------------------------------------------------------------

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === undefined || value === null || value === false) return;
      if (name === 'text') node.textContent = String(value);
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child !== undefined && child !== null) node.append(child);
    });
    return node;
  }

  function formatPrice(amount) {
    return money.format(amount);
  }

  function round(amount) {
    return Math.round(amount * 100) / 100;
  }

  function readJson(storageName, key) {
    try {
      var raw = window[storageName].getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (error) {
      return null; // storage off or damaged: behave as empty
    }
  }

  function writeJson(storageName, key, value) {
    try {
      if (value === null) window[storageName].removeItem(key);
      else window[storageName].setItem(key, JSON.stringify(value));
    } catch (error) {
      // storage full or off: the page still works for this view
    }
  }

  // --- catalogue ----------------------------------------------------------------------------------------------

  function productUrl(product) {
    return '/store/products/' + product.slug + '/';
  }

  /** The storefront Product shape (DESIGN.md section 2) that data-wk-add-to-cart carries. */
  function toItem(product) {
    var item = {
      id: product.id,
      name: product.name,
      sku: product.sku,
      price: product.price,
      currency: 'EUR',
      url: productUrl(product),

      imageUrl: product.image,
      categories: product.categories,
      brand: product.brand,
    };
    if (product.compareAtPrice) item.compareAtPrice = product.compareAtPrice;
    return item;
  }

  function priceTag(product) {
    return el('p', { class: 'price' }, [
      formatPrice(product.price),
      product.compareAtPrice ? el('s', { text: formatPrice(product.compareAtPrice) }) : null,
    ]);
  }

  /** A product card for a list (no data-wk-product: a list is not a product view). */
  function productCard(product, options) {
    var link = el('a', { href: productUrl(product) }, [
      el('img', { src: product.image, alt: product.name, width: 400, height: 400 }),
      el('h3', { text: product.name }),
    ]);
    var card = el('li', { class: 'product-card' }, [
      link,
      el('p', { class: 'brand', text: product.brand }),
      priceTag(product),
    ]);
    if (product.compareAtPrice) card.insertBefore(el('span', { class: 'badge', text: 'Sale' }), link);
    if (options && options.quickAdd) {
      card.append(
        el('button', {
          type: 'button',
          'data-wk-add-to-cart': JSON.stringify(toItem(product)),
          'data-wk-quantity': 1,
          text: 'Add to cart',
        }),
      );
    }
    return card;
  }

  // --- cart ---------------------------------------------------------------------------------------------------

  function readCart() {
    var cart = readJson('localStorage', CART_KEY);
    if (!cart || !Array.isArray(cart.lines)) {
      cart = { id: 'cart-' + Date.now().toString(36) + Math.random().toString(36).slice(2, 6), lines: [] };
    }
    return cart;
  }

  function cartTotal(cart) {
    return round(
      cart.lines.reduce(function (sum, line) {
        return sum + line.price * line.quantity;
      }, 0),
    );
  }

  function saveCart(cart) {
    cart.total = cartTotal(cart);
    cart.currency = CURRENCY;
    writeJson('localStorage', CART_KEY, cart);
    updateHeader();
    return cart;
  }

  function addToCart(item, quantity) {
    var cart = readCart();
    var line = cart.lines.find(function (l) {
      return l.id === item.id;
    });
    if (line) line.quantity = Math.min(99, line.quantity + quantity);
    else cart.lines.push(Object.assign({}, item, { quantity: quantity }));
    return saveCart(cart);
  }

  function setQuantity(id, quantity) {
    var cart = readCart();
    cart.lines = cart.lines
      .map(function (line) {
        return line.id === id ? Object.assign({}, line, { quantity: quantity }) : line;
      })
      .filter(function (line) {
        return line.quantity > 0;
      });
    return saveCart(cart);
  }

  /**
   * The cart as the shop sees it, in the contract's Cart shape: what the cart page states in [data-wk-cart] and sends
   * with wizshop:cart:update (wiz-klaviyo uses it for Started Checkout).
   */
  function cartForSdk(cart) {
    return {
      id: cart.id,
      lines: cart.lines.map(function (line) {
        return Object.assign({}, line);
      }),
      total: cartTotal(cart),
      currency: CURRENCY,
      checkoutUrl: new URL('/store/checkout/', window.location.origin).href,
    };
  }

  /**
   * Writes <script type="application/json" data-wk-cart> with the cart, or refreshes the one already on the page.
   * `before` is where a new element goes (the calling script, while the page is being parsed).
   */
  function writeCartData(cart, before) {
    var data = document.querySelector('script[data-wk-cart]');
    if (!data) {
      if (!before) return;
      data = document.createElement('script');
      data.type = 'application/json';
      data.setAttribute('data-wk-cart', '');
      before.before(data);
    }
    data.textContent = JSON.stringify(cartForSdk(cart));
  }

  /** Quantities changed or a line went on the cart page: restate the cart on the page and tell wiz-klaviyo. */
  function cartUpdated(cart) {
    writeCartData(cart);
    window.dispatchEvent(new CustomEvent('wizshop:cart:update', { detail: { cart: cartForSdk(cart) } }));
  }

  function cartCount(cart) {
    return cart.lines.reduce(function (sum, line) {
      return sum + line.quantity;
    }, 0);
  }

  /** Same rule as the markup contract: data-wk-quantity, else the quantity input in the button's form, else 1. */
  function quantityFor(button) {
    var fromAttribute = Number(button.getAttribute('data-wk-quantity'));
    if (fromAttribute > 0) return Math.floor(fromAttribute);
    var scope = button.closest('form') || button.parentElement;
    var input = scope && scope.querySelector('input[name=quantity]');
    var fromInput = Number(input && input.value);
    return fromInput > 0 ? Math.min(99, Math.floor(fromInput)) : 1;
  }

  function showNotice(children) {
    var main = document.querySelector('main');
    if (!main) return;
    var old = main.querySelector('.notice');
    if (old) old.remove();
    main.prepend(el('div', { class: 'notice', role: 'status' }, children));
  }

  // The shop's own listener on the same click the SDK sees (bubble phase; the SDK listens in capture phase).
  function onAddToCartClick(event) {
    var button = event.target instanceof Element ? event.target.closest('[data-wk-add-to-cart]') : null;
    if (!button) return;
    event.preventDefault(); // a submit button in the product form: stay on the page
    var item;
    try {
      item = JSON.parse(button.getAttribute('data-wk-add-to-cart'));
    } catch (error) {
      return;
    }
    var quantity = quantityFor(button);
    addToCart(item, quantity);
    showNotice([
      'Added ' + quantity + ' \u00d7 ' + item.name + ' to your cart. ',
      el('a', { href: '/store/cart/', text: 'View cart' }),
    ]);
  }

  // --- header -------------------------------------------------------------------------------------------------

  function readAccount() {
    return readJson('localStorage', ACCOUNT_KEY);
  }

  function updateHeader() {
    var count = document.getElementById('cart-count');
    if (count) count.textContent = String(cartCount(readCart()));
    var accountLink = document.getElementById('account-link');
    var account = readAccount();
    if (accountLink) {
      // The first name, else the email's local part: a whole address would wrap the header.
      var who = account && (account.firstName || String(account.email || '').split('@')[0]);
      accountLink.textContent = account ? (who ? 'Account (' + who + ')' : 'Account') : 'Log in';
      if (account && account.email) accountLink.setAttribute('title', account.email);
      else accountLink.removeAttribute('title');
      accountLink.setAttribute('href', account ? '/store/account/' : '/store/login/');
    }
  }

  // --- cart page ----------------------------------------------------------------------------------------------

  function summaryLines(cart) {
    return el(
      'ul',
      { class: 'summary-lines' },
      cart.lines.map(function (line) {
        return el('li', {}, [
          el('span', { text: line.name + ' \u00d7 ' + line.quantity }),
          el('span', { text: formatPrice(line.price * line.quantity) }),
        ]);
      }),
    );
  }

  function totalsList(rows) {
    return el(
      'dl',
      { class: 'totals' },
      rows.map(function (row) {
        return el('div', { class: row[2] || null }, [el('dt', { text: row[0] }), el('dd', { text: row[1] })]);
      }),
    );
  }

  function renderCartPage() {
    var list = document.getElementById('cart-lines');
    var empty = document.getElementById('cart-empty');
    var summary = document.getElementById('cart-summary');
    var totals = document.getElementById('cart-totals');
    var cart = readCart();

    list.replaceChildren();
    empty.hidden = cart.lines.length > 0;
    summary.hidden = cart.lines.length === 0;
    cart.lines.forEach(function (line) {
      var quantity = el('input', {
        type: 'number',
        min: 0,
        max: 99,
        value: line.quantity,
        'aria-label': 'Quantity of ' + line.name,
      });
      quantity.addEventListener('change', function () {
        cartUpdated(setQuantity(line.id, Math.max(0, Math.min(99, Math.floor(Number(quantity.value) || 0)))));
        renderCartPage();
      });
      var remove = el('button', { type: 'button', class: 'link', text: 'Remove' });
      remove.addEventListener('click', function () {
        cartUpdated(setQuantity(line.id, 0));
        renderCartPage();
      });
      list.append(
        el('li', { class: 'cart-line' }, [
          el('img', { src: line.imageUrl, alt: '', width: 80, height: 80 }),
          el('div', {}, [
            el('h3', {}, [el('a', { href: line.url, text: line.name })]),
            el('span', { class: 'sku', text: 'SKU ' + line.sku + ' \u00b7 ' + formatPrice(line.price) + ' each' }),
            el('div', { class: 'controls' }, [quantity, remove]),
          ]),
          el('strong', { text: formatPrice(line.price * line.quantity) }),
        ]),
      );
    });
    totals.replaceChildren(
      totalsList([
        ['Subtotal', formatPrice(cartTotal(cart))],
        ['Shipping', 'Free'],
        ['Total', formatPrice(cartTotal(cart)), 'grand'],
      ]),
    );
  }

  // --- checkout page ------------------------------------------------------------------------------------------

  function discountFor(code, subtotal) {
    var rate =
      DISCOUNTS[
        String(code || '')
          .trim()
          .toUpperCase()
      ];
    return rate ? round(subtotal * rate) : 0;
  }

  function setUpCheckout(form) {
    var summary = document.getElementById('checkout-summary');
    var codeInput = form.elements.namedItem('discountCode');
    var codeHint = document.getElementById('discount-hint');
    var submit = form.querySelector('button[type=submit]');

    function renderSummary() {
      var cart = readCart();
      var subtotal = cartTotal(cart);
      var code = codeInput.value.trim();
      var discount = discountFor(code, subtotal);
      codeHint.textContent = code && !discount ? 'That code is not valid.' : discount ? 'Code applied.' : '';
      submit.disabled = cart.lines.length === 0;
      var rows = [['Subtotal', formatPrice(subtotal)]];
      if (discount) rows.push(['Discount (' + code.toUpperCase() + ')', '\u2212' + formatPrice(discount)]);
      rows.push(['Shipping', 'Free'], ['Total', formatPrice(round(subtotal - discount)), 'grand']);
      summary.replaceChildren(
        el('h2', { text: 'Order summary' }),
        cart.lines.length
          ? summaryLines(cart)
          : el('p', { class: 'muted' }, ['Your cart is empty. ', el('a', { href: '/store/', text: 'Keep shopping' })]),
        totalsList(rows),
      );
    }

    codeInput.addEventListener('input', renderSummary);
    renderSummary();

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var cart = readCart();
      if (cart.lines.length === 0) return;
      var value = function (name) {
        var field = form.elements.namedItem(name);
        return field ? String(field.value).trim() : '';
      };
      var countryCode = value('countryCode');
      var address = {
        firstName: value('firstName'),
        lastName: value('lastName'),
        address1: value('address1'),
        city: value('city'),
        zip: value('zip'),
        country: COUNTRIES[countryCode] || countryCode,
        countryCode: countryCode,
      };
      var subtotal = cartTotal(cart);
      var code = value('discountCode').toUpperCase();
      var discount = discountFor(code, subtotal);
      var order = {
        id: 'LL-' + String(Date.now()).slice(-7),
        lines: cart.lines.map(function (line) {
          return {
            id: line.id,
            name: line.name,
            sku: line.sku,
            price: line.price,
            quantity: line.quantity,
            url: line.url,
            imageUrl: line.imageUrl,
            categories: line.categories,
            brand: line.brand,
          };
        }),
        total: round(subtotal - discount),
        currency: CURRENCY,
        email: value('email'), // the buyer of a guest checkout: Placed Order identifies them with it
        billingAddress: address,
        shippingAddress: Object.assign({}, address),
      };
      if (discount) {
        order.discountCode = code;
        order.discountValue = discount;
      }
      writeJson('sessionStorage', ORDER_KEY, { order: order, email: value('email') });
      writeJson('localStorage', CART_KEY, null);
      window.location.assign('/store/order/');
    });
  }

  // --- account pages ------------------------------------------------------------------------------------------

  function setUpAuthForm(form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var value = function (name) {
        var field = form.elements.namedItem(name);
        return field ? String(field.value).trim() : '';
      };
      var previous = readAccount();
      var email = value('email');
      var known = previous && previous.email === email ? previous : {};
      writeJson('localStorage', ACCOUNT_KEY, {
        email: email,
        firstName: value('firstName') || known.firstName || '',
        lastName: value('lastName') || known.lastName || '',
        phone: value('phone') || known.phone || '',
      });
      window.location.assign('/store/account/');
    });
  }

  function renderAccountPage(view) {
    var account = readAccount();
    if (!account) {
      view.replaceChildren(
        el('p', {}, [
          'You are not logged in. ',
          el('a', { href: '/store/login/', text: 'Log in' }),
          ' or ',
          el('a', { href: '/store/signup/', text: 'create an account' }),
          '.',
        ]),
      );
      return;
    }
    var logout = el('button', { type: 'button', text: 'Log out' });
    logout.addEventListener('click', function () {
      writeJson('localStorage', ACCOUNT_KEY, null);
      // Logging out is not something auto-tracking can see: tell the SDK to forget the buyer.
      window.wizKlaviyo.push(['reset']);
      window.location.assign('/store/');
    });
    var name = [account.firstName, account.lastName].filter(Boolean).join(' ');
    // replaceChildren() would print a null as the text "null": only real nodes go in.
    var rows = [el('p', { text: 'Logged in as ' + (name ? name + ' <' + account.email + '>' : account.email) + '.' })];
    if (account.phone) rows.push(el('p', { class: 'muted', text: 'Phone: ' + account.phone }));
    rows.push(el('p', {}, [el('a', { href: '/store/', text: 'Continue shopping' })]), logout);
    view.replaceChildren.apply(view, rows);
  }

  // --- start --------------------------------------------------------------------------------------------------

  function start() {
    updateHeader();
    document.addEventListener('click', onAddToCartClick);
    document.querySelectorAll('form.add-to-cart-form').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault(); // Enter in the quantity field clicks the submit button, which adds to the cart
      });
    });
    if (document.getElementById('cart-lines')) renderCartPage();
    var checkout = document.getElementById('checkout-form');
    if (checkout) setUpCheckout(checkout);
    document.querySelectorAll('form.auth-form').forEach(setUpAuthForm);
    var account = document.getElementById('account-view');
    if (account) renderAccountPage(account);
  }

  window.DemoStore = {
    el: el,
    formatPrice: formatPrice,
    productCard: productCard,
    readOrder: function () {
      return readJson('sessionStorage', ORDER_KEY);
    },
    writeCartData: function (before) {
      writeCartData(readCart(), before);
    },
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  // Another tab changed the cart or logged in: keep the header right.
  window.addEventListener('storage', function (event) {
    if (event.key === CART_KEY || event.key === ACCOUNT_KEY) updateHeader();
  });
})();
