// The script-tag entry (IIFE build): the only module with a load-time effect.
import { installGlobal, optionsFromScript, partsNextTo } from './global.js';
// What the later files share with this one (see the module): filled before anything else runs.
import './parts/kit.js';
import { LATER_FILES_INTEGRITY } from './parts/integrity.js';

try {
  const script = document.currentScript ?? document.querySelector('script[data-site-key][src*="wiz-klaviyo"]');
  const src = (script as HTMLScriptElement | null)?.src;
  const options = optionsFromScript(script);
  // A tag with `integrity` (a shop hosting the files on a CDN) gets the other files checked against their hashes too.
  const integrity = script?.hasAttribute('integrity') ? LATER_FILES_INTEGRITY : undefined;
  installGlobal(
    window as unknown as { wizKlaviyo?: unknown },
    options,
    // The later files sit next to this one: /…/wiz-klaviyo.iife.js → /…/wiz-klaviyo.sender.js, …features.js.
    partsNextTo(src, options.nonce, integrity),
    {
      watchPage: script?.getAttribute('data-autotrack') !== 'false',
      // The debug sentences sit next to this file too: /…/wiz-klaviyo.debug.js.
      debugScript: src ? new URL('wiz-klaviyo.debug.js', src).href : undefined,
      // data-debug="panel" also loads the in-page panel for theme developers, from next to this file too.
      panelScript:
        src && script?.getAttribute('data-debug') === 'panel' ? new URL('wiz-klaviyo.panel.js', src).href : undefined,
      integrity,
    },
  );
} catch (error) {
  // Never let the tracking script break the storefront.
  if (typeof console !== 'undefined') console.warn('[wiz-klaviyo] could not start:', error);
}
