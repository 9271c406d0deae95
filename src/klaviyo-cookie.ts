/**
 * klaviyo.js's first-party cookie `__kla_id`: base64 of a JSON object (sometimes URI-encoded as well) that carries
 * `$exchange_id` once Klaviyo knows the visitor (a form signup, an email or SMS click). Klaviyo's own Magento module
 * reads it the same way and sends `$exchange_id` as the profile's `_kx`:
 * https://github.com/klaviyo/magento2-klaviyo/blob/master/Observer/SalesQuoteSaveAfter.php
 * https://github.com/klaviyo/magento2-klaviyo/blob/master/KlaviyoV3Sdk/KlaviyoV3Api.php (CUSTOMER_PROPERTIES_MAP)
 */
const COOKIE = '__kla_id';

/** The exchange id in a `document.cookie` string, or undefined when there is none or it cannot be read. */
export function exchangeIdFromCookies(cookies: string): string | undefined {
  const raw = cookies
    .split(';')
    .map((pair) => pair.trim())
    .find((pair) => pair.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  if (!raw) return undefined;
  try {
    const visitor: unknown = JSON.parse(atob(uriDecoded(raw)));
    const kx = (visitor as { $exchange_id?: unknown } | null)?.$exchange_id;
    return typeof kx === 'string' && kx !== '' ? kx : undefined;
  } catch {
    return undefined; // not base64, or not JSON: someone else's cookie of that name
  }
}

/** The exchange id klaviyo.js keeps for this visitor; reading cookies throws where the page may not use them. */
export function klaviyoExchangeId(doc: { cookie?: string } | undefined): string | undefined {
  try {
    return exchangeIdFromCookies(doc?.cookie ?? '');
  } catch {
    return undefined;
  }
}

function uriDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
