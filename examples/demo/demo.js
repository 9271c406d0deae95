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

  var SHIRT = { id: 'SKU-1', name: 'Linen Shirt', price: 49, categories: ['Shirts'], url: location.origin + '/#shirt' };

  var actions = {
    view: function () {
      push(['viewedProduct', SHIRT]);
    },
    'add-to-cart': function () {
      push([
        'addedToCart',
        Object.assign({ quantity: 1 }, SHIRT),
        { id: 'demo-cart', lines: [Object.assign({ quantity: 1 }, SHIRT)], currency: 'USD' },
      ]);
    },
    login: function () {
      // Guests' events are held until the buyer is known; this releases them onto the buyer's profile.
      push(['identify', { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' }, { reason: 'login' }]);
    },
    'refused-phone': function () {
      // Tell the stand-in to answer like Klaviyo for this number, then identify with it.
      fetch('/__stand-in/refuse-phone', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '+15005550009' }),
      }).then(function () {
        push(['identify', { email: 'ada@example.com', phone: '+15005550009', firstName: 'Ada' }, { reason: 'login' }]);
        push(['viewedProduct', SHIRT]);
      });
    },
    logout: function () {
      push(['reset']);
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
      if (term) push(['searchedSite', term, 3]);
    });
    showStatus();
    setInterval(showStatus, 1000);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
