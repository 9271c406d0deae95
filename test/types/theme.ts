// A theme's own TypeScript: one import types window.wizKlaviyo (the stub until the script tag has loaded).
import type {} from 'wiz-klaviyo/iife';

window.wizKlaviyo.push(['track', 'Viewed Product', { ProductID: 'p1' }]);
const sdk = window.wizKlaviyo;
if (!Array.isArray(sdk)) {
  void sdk.viewedProduct({ id: 'p1', name: 'Linen Shirt' });
  const version: string = sdk.version;
  void version;
}
// @ts-expect-error: before it has loaded the global may still be the stub, which has no track()
void window.wizKlaviyo.track('Viewed Product');
