import { afterEach, describe, expect, it, vi } from 'vitest';
import { allFeatures, commerce, createWizKlaviyo, identity, statusAndDeadLetters } from '../../src/core';
import { testPlatform } from '../support/harness';
import { useKlaviyo } from '../support/suite';
import { indexedDbStorage } from '../../src/storage';

const { klaviyo } = useKlaviyo();
const made: Array<{ destroy(): void }> = [];
const options = () => ({
  siteKey: 'AbC123',
  storage: indexedDbStorage(),
  platform: testPlatform(),
});
function make<P extends Parameters<typeof createWizKlaviyo>[1]>(plugins?: P) {
  const instance = createWizKlaviyo(options(), plugins);
  made.push(instance);
  return instance;
}
afterEach(() => made.splice(0).forEach((instance) => instance.destroy()));

describe('wiz-klaviyo/core: the core plus the plugins an app passes', () => {
  it('is the core alone without plugins: track() is stored and sent at once under the anonymous_id', async () => {
    const lean = make();
    expect(Object.keys(lean).sort()).toEqual(['amend', 'destroy', 'disable', 'enable', 'flush', 'track']);
    const result = await lean.track('Viewed Product', { ProductID: 'p1' });
    expect(result.ok).toBe(true);
    await vi.waitFor(() => expect(klaviyo.metrics()).toEqual(['Viewed Product']));
    expect(Object.keys(klaviyo.events()[0].body.data.attributes.profile.data.attributes)).toEqual(['anonymous_id']);
  });

  it('adds what each plugin brings: identity holds a guest until identify(), commerce adds the helpers', async () => {
    const shop = make([identity, commerce]);
    expect(typeof shop.identify).toBe('function');
    expect(typeof shop.viewedProduct).toBe('function');
    expect('status' in shop).toBe(false);
    await shop.viewedProduct({ id: 'p1', name: 'Linen Shirt' });
    await shop.flush();
    expect(klaviyo.events()).toEqual([]); // held: the guest hold is the identity plugin's

    await shop.identify({ email: 'ada@example.com' });
    await vi.waitFor(() => expect(klaviyo.metrics()).toEqual(['Viewed Product']));
    expect(klaviyo.events()[0].body.data.attributes.profile.data.attributes.email).toBe('ada@example.com');
  });

  it('gives an inert instance with the same methods when the options are refused', async () => {
    const refused = createWizKlaviyo({ siteKey: 'pk_0123456789abcdef0123456789abcdef01' }, [
      identity,
      statusAndDeadLetters,
    ]);
    const live = make([identity, statusAndDeadLetters]);
    expect(Object.keys(refused).sort()).toEqual(Object.keys(live).sort());
    expect(await refused.track('X')).toMatchObject({ ok: false, error: { code: 'private_key_refused' } });
    expect(await refused.identify({ email: 'ada@example.com' })).toMatchObject({ ok: false });
    expect((await refused.status()).refused?.code).toBe('private_key_refused');
  });

  it('allFeatures has every call the main entry has', () => {
    const full = make(allFeatures);
    for (const method of [
      'identify',
      'reset',
      'setConsent',
      'status',
      'viewedProduct',
      'placedOrder',
      'track',
      'flush',
    ]) {
      expect(typeof (full as Record<string, unknown>)[method]).toBe('function');
    }
  });
});
