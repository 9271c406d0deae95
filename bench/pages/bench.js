// One tenant with the delivery settings from the URL (?tenant=&rate=&burst=), sending to this page's origin (the
// stand-in). klaviyo.js comes from the stand-in too: once it loads, the SDK sends no Active on Site of its own, so
// every request the stand-in sees is a bench event. A reload or a reopened tab builds the same instance again.
(function () {
  const params = new URLSearchParams(location.search);
  const delivery = {};
  if (params.get('rate')) delivery.ratePerSecond = Number(params.get('rate'));
  if (params.get('burst')) delivery.burst = Number(params.get('burst'));
  window.bench = window.wizKlaviyo.createInstance({
    siteKey: 'AbC123',
    tenant: params.get('tenant') || 'bench',
    endpoint: location.origin,
    onsiteHost: location.origin,
    guestEvents: 'send',
    delivery,
  });
})();
