// The script-tag entry (IIFE build): the only module with a load-time effect.
import { installGlobal, optionsFromScript } from './global.js';

try {
  const script = document.currentScript ?? document.querySelector('script[data-site-key][src*="wiz-klaviyo"]');
  const src = (script as HTMLScriptElement | null)?.src;
  installGlobal(
    window as unknown as { wizKlaviyo?: unknown },
    optionsFromScript(script),
    script?.getAttribute('data-autotrack') !== 'false',
    // The debug sentences sit next to this file: /…/wiz-klaviyo.iife.js → /…/wiz-klaviyo.debug.js.
    src ? new URL('wiz-klaviyo.debug.js', src).href : undefined,
    // data-debug="panel" also loads the in-page panel for theme developers, from next to this file too.
    src && script?.getAttribute('data-debug') === 'panel' ? new URL('wiz-klaviyo.panel.js', src).href : undefined,
  );
} catch (error) {
  // Never let the tracking script break the storefront.
  if (typeof console !== 'undefined') console.warn('[wiz-klaviyo] could not start:', error);
}
