// A TypeScript app using the published package by name, type-checked under each moduleResolution mode that apps use
// (scripts/check-types.mjs). The @ts-expect-error lines fail the check if the types ever become `any`.
import { createWizKlaviyo, WizKlaviyoError, type ErrorCode, type Status, type TrackResult } from 'wiz-klaviyo';
import { allFeatures, commerce, createWizKlaviyo as createCore, identity } from 'wiz-klaviyo/core';

export async function full(): Promise<ErrorCode | undefined> {
  const klaviyo = createWizKlaviyo({ siteKey: 'AbC123', tenant: 'acme-eu' });
  const result: TrackResult = await klaviyo.track('Viewed Product', { ProductName: 'Linen Shirt' }, { value: 49 });
  await klaviyo.identify({ email: 'ada@example.com' }, { reason: 'login' });
  await klaviyo.placedOrder({
    id: 'o1',
    total: 98,
    lines: [{ id: 'p1', name: 'Linen Shirt', quantity: 2 }],
    email: 'ada@example.com',
  });
  const status: Status = await klaviyo.status();
  await klaviyo.track('Placed Order', { OrderId: 'o1', Items: [{ ProductID: 'p1', Quantity: 2 }], Extra: 'kept' });
  await klaviyo.track('Wishlist Added', { anything: true }); // any other name, free-form properties
  // @ts-expect-error: Viewed Product's Price is a number
  await klaviyo.track('Viewed Product', { Price: '49' });
  // @ts-expect-error: Searched Site's ReturnedResults is a number
  await klaviyo.track('Searched Site', { SearchTerm: 'linen', ReturnedResults: 'many' });
  // @ts-expect-error: no such method
  klaviyo.notAMethod();
  // @ts-expect-error: a reason identify() does not know
  await klaviyo.identify({ email: 'ada@example.com' }, { reason: 'whenever' });
  return result.ok ? status.lastError?.code : result.error.code;
}

export function composable(): void {
  const lean = createCore({ siteKey: 'AbC123' });
  void lean.track('Searched Site', { SearchTerm: 'linen' });
  // @ts-expect-error: the core alone has no identify()
  void lean.identify({ email: 'ada@example.com' });
  const shop = createCore({ siteKey: 'AbC123' }, [identity, commerce]);
  void shop.identify({ email: 'ada@example.com' });
  void shop.viewedProduct({ id: 'p1', name: 'Linen Shirt' });
  // @ts-expect-error: status() comes with statusAndDeadLetters
  void shop.status();
  void createCore({ siteKey: 'AbC123' }, allFeatures).status();
}

export const isOurs = (error: unknown): boolean => error instanceof WizKlaviyoError;
