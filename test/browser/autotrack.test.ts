import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStore, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

const metrics = () => suite.standIn.state().events.map((e) => e.metric);
const ofMetric = (name: string) => suite.standIn.state().events.filter((e) => e.metric === name);

async function open(): Promise<Page> {
  return openStore(await suite.newContext(), `${suite.standIn.url}/markup.html`);
}

describe('auto-tracking from storefront markup in Chromium', () => {
  it('records each marked product once per page view and survives malformed markup', async () => {
    const page = await open();
    await expect.poll(() => ofMetric('Viewed Product').length, { timeout: 10_000 }).toBe(2);
    const shirt = ofMetric('Viewed Product').find((e) => e.properties.ProductID === 'p1')!;
    expect(shirt.properties).toMatchObject({
      ProductName: 'Linen Shirt',
      SKU: 'LS-1',
      Brand: 'Acme',
      Price: 49,
      Categories: ['Clothing', 'Shirts'],
    });
    expect(
      ofMetric('Viewed Product')
        .map((e) => e.properties.ProductID)
        .sort(),
    ).toEqual(['p1', 'p2']);

    // A same-URL push (hydration, a router re-asserting its state) is not a new page view.
    await page.evaluate(() => history.replaceState({}, '', location.href));
    await page.evaluate(() => (window as any).renderProduct('p3', 'Silk Tie'));
    await expect.poll(() => ofMetric('Viewed Product').length, { timeout: 10_000 }).toBe(5);
    // The new page view sees p1 and p2 again (still in the page) and the SPA-rendered p3.
    expect(ofMetric('Viewed Product').filter((e) => e.properties.ProductID === 'p3')).toHaveLength(1);
  });

  it('turns add-to-cart clicks, the checkout link and a search submit into their events', async () => {
    const page = await open();
    await page.click('#bad-add'); // malformed JSON: reported, nothing else breaks
    await page.click('#add');
    await page.click('#checkout');
    await page.evaluate(() => (document.getElementById('search') as HTMLFormElement).requestSubmit());
    await expect
      .poll(
        () =>
          metrics()
            .filter((m) => m !== 'Viewed Product')
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(['Added to Cart', 'Searched Site', 'Started Checkout']);
    const [added] = ofMetric('Added to Cart');
    expect(added.properties).toMatchObject({
      AddedItemProductID: 'p1',
      AddedItemQuantity: 2,
      ItemNames: ['Linen Shirt'],
    });
    expect(added.value).toBe(98);
    expect(ofMetric('Started Checkout')[0].properties.Items).toHaveLength(1);
    expect(ofMetric('Searched Site')[0].properties.SearchTerm).toBe('linen');
  });
});
