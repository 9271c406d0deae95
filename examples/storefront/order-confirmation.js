// Order confirmation page: runs synchronously where it stands in the body. It writes the order that checkout left in
// sessionStorage as <script type="application/json" data-wk-order> (wiz-klaviyo reads it at DOMContentLoaded and
// records Placed Order and Ordered Product; a reload is not counted twice, the order id is the event's unique id),
// then shows the order to the shopper.
(function () {
  'use strict';

  var store = window.DemoStore;
  var el = store.el;
  var view = document.getElementById('order-view');
  var saved = store.readOrder();

  if (!saved || !saved.order) {
    view.replaceChildren(
      el('h1', { text: 'No recent order' }),
      el('p', {}, [
        'We could not find an order from this visit. ',
        el('a', { href: '/store/', text: 'Continue shopping' }),
      ]),
    );
    return;
  }

  var order = saved.order;
  var data = document.createElement('script');
  data.type = 'application/json';
  data.setAttribute('data-wk-order', '');
  data.textContent = JSON.stringify(order);
  document.currentScript.before(data);

  function address(a) {
    return el('address', {}, [
      a.firstName + ' ' + a.lastName,
      el('br'),
      a.address1,
      el('br'),
      a.zip + ' ' + a.city,
      el('br'),
      a.country,
    ]);
  }

  var rows = [];
  if (order.discountCode)
    rows.push(['Discount (' + order.discountCode + ')', '\u2212' + store.formatPrice(order.discountValue)]);
  rows.push(['Shipping', 'Free'], ['Total paid', store.formatPrice(order.total)]);

  document.title = 'Order ' + order.id + ' \u00b7 ' + window.DemoCatalog.shopName;
  view.replaceChildren(
    el('h1', { text: 'Thank you, ' + order.billingAddress.firstName + '!' }),
    el('p', {}, [
      'Your order ',
      el('strong', { text: order.id }),
      ' is confirmed.' + (saved.email ? ' A confirmation is on its way to ' + saved.email + '.' : ''),
    ]),
    el('div', { class: 'summary' }, [
      el('h2', { text: 'Order summary' }),
      el(
        'ul',
        { class: 'summary-lines' },
        order.lines.map(function (line) {
          return el('li', {}, [
            el('span', { text: line.name + ' \u00d7 ' + line.quantity }),
            el('span', { text: store.formatPrice(line.price * line.quantity) }),
          ]);
        }),
      ),
      el(
        'dl',
        { class: 'totals' },
        rows.map(function (row, index) {
          return el('div', { class: index === rows.length - 1 ? 'grand' : null }, [
            el('dt', { text: row[0] }),
            el('dd', { text: row[1] }),
          ]);
        }),
      ),
      el('div', { class: 'addresses' }, [
        el('div', {}, [el('h3', { text: 'Shipping to' }), address(order.shippingAddress)]),
        el('div', {}, [el('h3', { text: 'Billing address' }), address(order.billingAddress)]),
      ]),
    ]),
    el('p', {}, [el('a', { class: 'button', href: '/store/', text: 'Continue shopping' })]),
  );
})();
