// The script-tag entry (IIFE build): the only module with a load-time effect.
import { installGlobal, optionsFromScript } from './global';

try {
  const script = document.currentScript ?? document.querySelector('script[data-site-key][src*="wiz-klaviyo"]');
  installGlobal(
    window as unknown as { wizKlaviyo?: unknown },
    optionsFromScript(script),
    script?.getAttribute('data-autotrack') !== 'false',
  );
} catch (error) {
  // Never let the tracking script break the storefront.
  if (typeof console !== 'undefined') console.warn('[wiz-klaviyo] could not start:', error);
}
