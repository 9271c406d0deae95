// Times the script tag's cost on the main thread. The exact dist files are fetched first (prepareSdk) and then
// inserted as inline classic scripts, the first one with the same data-* attributes a storefront uses (insertSdk):
// inserting runs parse, compile, top-level evaluation and the synchronous part of initialisation (options, instance,
// listeners, autotrack) before appendChild returns, so performance.now() around it is that cost with no network
// in it. The sender and features files go in first, so the timing holds all three files' evaluation (inline, the
// first file could not fetch them from next to itself). A unique comment per run keeps V8 from reusing a compiled copy.
let prepared;
let started;

window.prepareSdk = async function prepareSdk(attributes) {
  const files = ['sender', 'features', 'iife'];
  const sources = await Promise.all(
    files.map(async (part) => (await fetch(`/dist/wiz-klaviyo.${part}.js`, { cache: 'no-store' })).text()),
  );
  prepared = sources.map((source) => {
    const script = document.createElement('script');
    script.textContent = source + '\n//# bench-run=' + Math.random();
    return script;
  });
  for (const [name, value] of Object.entries(attributes)) prepared[2].setAttribute(name, value);
};

window.insertSdk = function insertSdk() {
  started = performance.now();
  for (const script of prepared) document.head.appendChild(script);
  return { start: started, evalMs: performance.now() - started, loaded: window.wizKlaviyo.loaded === true };
};

// Ready = the first event is durably stored: identity and consent read back from IndexedDB, then one write.
window.sdkReady = async function sdkReady(tag) {
  const first = await window.wizKlaviyo.track('Viewed Product', { ProductID: 'ready', bench: tag });
  const end = performance.now();
  return { readyMs: end - started, end, ok: first.ok };
};
