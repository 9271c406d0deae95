import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAutotrack, type Autotrack } from '../../src/autotrack/index';
import { useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();
const product = '{"id":"p-1","name":"Linen Shirt","price":49}';
const rememberedCart = () => Object.keys(sessionStorage).filter((key) => key.endsWith(':cart'));

let autotrack: Autotrack | undefined;
afterEach(() => {
  autotrack?.stop();
  document.body.replaceChildren();
  sessionStorage.clear();
});

describe('auto-tracking started from the ES module asks its instance', () => {
  it('remembers no cart and records nothing after setConsent(false)', async () => {
    const { client } = make();
    document.body.innerHTML = `<button data-wk-add-to-cart='${product}'>Add</button>`;
    autotrack = startAutotrack(client);
    await client.setConsent(false);

    document.querySelector('button')!.click();
    window.dispatchEvent(new CustomEvent('wizshop:cart:add', { detail: { item: JSON.parse(product) } }));
    await client.flush();
    expect(rememberedCart()).toEqual([]);
    expect(klaviyo.received).toEqual([]);
  });

  it('forgets the cart it remembered when consent is withdrawn', async () => {
    const { client } = make();
    document.body.innerHTML = `<button data-wk-add-to-cart='${product}'>Add</button>`;
    autotrack = startAutotrack(client);
    document.querySelector('button')!.click();
    await vi.waitFor(() => expect(rememberedCart()).toHaveLength(1));

    await client.setConsent(false);
    expect(rememberedCart()).toEqual([]);
  });

  it("reports markup problems to the instance's onError and status().lastError, keyed by its tenant", async () => {
    const { client, codes } = make({ tenant: 'acme-eu' });
    document.body.innerHTML = `<button data-wk-add-to-cart='{"name":"no id"}'>Add</button>
      <button id="ok" data-wk-add-to-cart='${product}'>Add</button>`;
    autotrack = startAutotrack(client);
    document.querySelector('button')!.click();
    (document.getElementById('ok') as HTMLElement).click();
    expect(codes()).toContain('invalid_markup');
    expect((await client.status()).lastError?.code).toBe('invalid_markup');
    await vi.waitFor(() => expect(rememberedCart()).toEqual(['wiz-klaviyo:acme-eu:cart']));
  });
});
