import { readCookie } from './cookies.js';

/**
 * klaviyo.js's first-party cookie `__kla_id`: base64 of a JSON object (sometimes URI-encoded as well) that carries
 * `$exchange_id` once Klaviyo knows the visitor (a form signup, an email or SMS click). Klaviyo's own Magento module
 * reads it the same way and sends `$exchange_id` as the profile's `_kx`:
 * https://github.com/klaviyo/magento2-klaviyo/blob/master/Observer/SalesQuoteSaveAfter.php
 * https://github.com/klaviyo/magento2-klaviyo/blob/master/KlaviyoV3Sdk/KlaviyoV3Api.php (CUSTOMER_PROPERTIES_MAP)
 */
export function klaviyoExchangeId(doc: Pick<Document, 'cookie'> | undefined): string | undefined {
  const raw = readCookie(doc, '__kla_id');
  if (!raw) return undefined;
  try {
    const visitor: unknown = JSON.parse(atob(uriDecoded(raw)));
    const kx = (visitor as { $exchange_id?: unknown } | null)?.$exchange_id;
    return typeof kx === 'string' && kx !== '' ? kx : undefined;
  } catch {
    return undefined; // not base64, or not JSON: someone else's cookie of that name
  }
}

function uriDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
