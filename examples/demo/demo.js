// Demo page wiring. Loaded before the SDK: the standard stub queues calls until the SDK replaces it with the real
// object, whose push(['name', ...args]) calls the method of that name.
window.wizKlaviyo = window.wizKlaviyo || [];

(function () {
  'use strict';

  function push(command) {
    window.wizKlaviyo.push(command);
    var item = document.createElement('li');
    item.textContent = JSON.stringify(command);
    document.getElementById('pushed').appendChild(item);
  }

  var actions = {
    view: function () {
      push(['track', 'Viewed Product', { ProductName: 'Linen Shirt', ProductID: 'SKU-1', Price: 49 }]);
    },
    'add-to-cart': function () {
      push([
        'track',
        'Added to Cart',
        { AddedItemProductName: 'Linen Shirt', AddedItemProductID: 'SKU-1', AddedItemPrice: 49, AddedItemQuantity: 1 },
        { value: 49, valueCurrency: 'USD' },
      ]);
    },
    flush: function () {
      push(['flush']);
    },
  };

  // The SDK is only there once the stub array has been replaced by an object with a status() method.
  async function showStatus() {
    var panel = document.getElementById('status');
    var sdk = window.wizKlaviyo;
    if (!sdk || typeof sdk.status !== 'function') {
      panel.textContent = 'SDK not loaded yet (is dist/wiz-klaviyo.iife.js built?). Calls are queued on the stub.';
      return;
    }
    try {
      panel.textContent = JSON.stringify(await sdk.status(), null, 2);
    } catch (error) {
      panel.textContent = 'status() failed: ' + String(error);
    }
  }

  function start() {
    document.querySelectorAll('[data-action]').forEach(function (button) {
      button.addEventListener('click', actions[button.getAttribute('data-action')]);
    });
    document.getElementById('search-form').addEventListener('submit', function (event) {
      event.preventDefault(); // stay on the page so the event can be watched
      var term = document.getElementById('search-term').value.trim();
      if (term) push(['track', 'Searched Site', { SearchTerm: term }]);
    });
    showStatus();
    setInterval(showStatus, 1000);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
