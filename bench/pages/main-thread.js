// Times the script tag's cost on the main thread. The exact dist file is fetched first (prepareSdk) and then
// inserted as an inline classic script with the same data-* attributes a storefront uses (insertSdk): inserting it
// runs parse, compile, top-level evaluation and the synchronous part of initialisation (options, instance,
// listeners, autotrack) before appendChild returns, so performance.now() around it is that cost with no network
// in it. A unique comment per run keeps V8 from reusing a compiled copy.
let prepared;
let started;

window.prepareSdk = async function prepareSdk(attributes) {
  const source = await (await fetch('/dist/wiz-klaviyo.iife.js', { cache: 'no-store' })).text();
  prepared = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) prepared.setAttribute(name, value);
  prepared.textContent = source + '\n//# bench-run=' + Math.random();
};

window.insertSdk = function insertSdk() {
  started = performance.now();
  document.head.appendChild(prepared);
  return { start: started, evalMs: performance.now() - started, loaded: window.wizKlaviyo.loaded === true };
};

// Ready = the first event is durably stored: identity and consent read back from IndexedDB, then one write.
window.sdkReady = async function sdkReady(tag) {
  const first = await window.wizKlaviyo.track('Viewed Product', { ProductID: 'ready', bench: tag });
  const end = performance.now();
  return { readyMs: end - started, end, ok: first.ok };
};
