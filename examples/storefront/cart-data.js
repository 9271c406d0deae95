// Cart page: runs synchronously where it stands in the body. It states the cart as the shop sees it in
// <script type="application/json" data-wk-cart>{ id, lines, total, currency, checkoutUrl }</script>, before
// DOMContentLoaded, when wiz-klaviyo reads the page. Started Checkout then carries this cart (quantities changed and
// lines removed on an earlier visit included), not only the add-to-cart clicks the SDK saw. Changes made on this page
// afterwards are announced by store.js with wizshop:cart:update.
(function () {
  'use strict';

  window.DemoStore.writeCartData(document.currentScript);
})();
