import { settle } from '../support/harness';
import { describe, expect, it, vi } from 'vitest';
import type { WizKlaviyo } from '../../src/client';
import { databaseNames, idOf, useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();
const PRIVATE_KEY = 'pk_0123456789abcdef0123456789abcdef01';

/** Every call of a storefront's day, none of which may throw or store anything on an inert instance. */
async function everyCall(client: WizKlaviyo) {
  return {
    track: await client.track('Viewed Product', { ProductName: 'Linen Shirt' }),
    viewed: await client.viewedProduct({ id: 'p-1', name: 'Linen Shirt' }),
    order: await client.placedOrder({
      id: 'o-1',
      total: 49,
      lines: [{ id: 'p-1', name: 'Linen Shirt', price: 49, quantity: 1 }],
    }),
    identify: await client.identify({ email: 'ada@example.com' }),
    flush: await client.flush(),
  };
}

describe('an instance that must do nothing', () => {
  it('refuses a private key as siteKey: every call resolves with private_key_refused, nothing is stored or sent', async () => {
    const { client, codes } = make({ siteKey: PRIVATE_KEY });
    const calls = await everyCall(client);
    expect(calls.track).toMatchObject({ ok: false, error: { code: 'private_key_refused' } });
    expect(calls.viewed).toMatchObject({ ok: false, error: { code: 'private_key_refused' } });
    expect(calls.order).toMatchObject([{ ok: false, error: { code: 'private_key_refused' } }]);
    expect(calls.identify).toMatchObject({ ok: false, error: { code: 'private_key_refused' } });
    expect(calls.flush).toEqual({ sent: 0, retried: 0, deadLettered: 0 });
    expect(calls.track.ok === false && calls.track.error.message).not.toContain(PRIVATE_KEY);

    const status = await client.status();
    expect(status).toMatchObject({ enabled: false, tenant: null, queued: 0, refused: { code: 'private_key_refused' } });
    expect(JSON.stringify(status)).not.toContain(PRIVATE_KEY);
    expect(codes()).toEqual(['private_key_refused']);
    expect(klaviyo.received).toEqual([]);
    expect(await databaseNames()).toEqual([]);
  });

  it('refuses a malformed site key with invalid_site_key', async () => {
    const { client } = make({ siteKey: 'AbC12' });
    expect(await client.track('Viewed Product')).toMatchObject({ ok: false, error: { code: 'invalid_site_key' } });
    expect((await client.status()).refused).toMatchObject({ code: 'invalid_site_key' });
    expect(klaviyo.received).toEqual([]);
  });

  it('stores and sends nothing when the tenant flag is off, and says so without calling it a refusal', async () => {
    const { client, codes } = make({ enabled: false });
    const calls = await everyCall(client);
    expect(calls.track).toMatchObject({ ok: false, error: { code: 'tenant_disabled' } });
    expect(calls.identify).toMatchObject({ ok: false, error: { code: 'tenant_disabled' } });
    expect(await client.status()).toMatchObject({ enabled: false, refused: null, queued: 0, storage: 'none' });
    expect(await client.deadLetters.list()).toEqual([]);
    expect(codes()).toEqual([]);
    expect(klaviyo.received).toEqual([]);
    expect(await databaseNames()).toEqual([]);
  });
});

describe('bad input to track()', () => {
  it('never throws, resolves with the reason, and leaves the events around it untouched', async () => {
    const { client, errors } = make({ delivery: { concurrency: 1 } });
    const cyclic: Record<string, unknown> = { ProductName: 'Linen Shirt' };
    cyclic.self = cyclic;

    const before = idOf(await client.track('Before', { a: 1 }));
    const refusals = await Promise.all([
      client.track(42 as never),
      client.track(undefined as never),
      client.track('x'.repeat(200)),
      client.track('Viewed Product', [1, 2] as never),
      client.track('Viewed Product', 'Linen Shirt' as never),
      client.track('Viewed Product', {}, { time: 'yesterday' }),
      client.track('Viewed Product', {}, { value: '49' as never }),
    ]);
    const repaired = idOf(await client.track('Repaired', cyclic));
    const after = idOf(await client.track('After', { b: [2] }));

    expect(refusals.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'invalid_event_name',
      'invalid_event_name',
      'invalid_event_name',
      'invalid_properties',
      'invalid_properties',
      'invalid_event_option',
      'invalid_event_option',
    ]);
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([before, repaired, after]));
    const sent = klaviyo
      .events()
      .map((r) => [r.body.data.attributes.metric.data.attributes.name, r.body.data.attributes.properties]);
    expect(sent).toEqual([
      ['Before', { a: 1 }],
      ['Repaired', { ProductName: 'Linen Shirt' }],
      ['After', { b: [2] }],
    ]);

    const repairs = errors.filter((e) => e.error.code === 'event_repaired');
    expect(repairs.map((e) => e.event)).toEqual([{ name: 'Repaired', uniqueId: repaired }]);
    expect(repairs[0].error.details.repairs).toHaveLength(1);
    expect(await client.status()).toMatchObject({ queued: 0, deadLettered: 0, sent: 3 });
  });

  it('reports each refusal to onError with its code', async () => {
    const { client, codes } = make();
    await client.track('', {});
    await client.track('Viewed Product', [] as never);
    expect(codes()).toEqual(['invalid_event_name', 'invalid_properties']);
    expect(await client.status()).toMatchObject({ queued: 0 });
  });
});

describe('disable() and enable()', () => {
  it('stop collecting and sending at once, keep what is queued, and resume it', async () => {
    klaviyo.queueAnswers(500);
    const { client, clock } = make();
    const waiting = idOf(await client.track('A', {}));
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    await settle(client);

    client.disable();
    expect(await client.track('B', {})).toMatchObject({ ok: false, error: { code: 'tenant_disabled' } });
    clock.advance(60_000); // the retry falls due while the tenant is off
    await settle(client);
    expect(klaviyo.events()).toHaveLength(1);
    expect(await client.status()).toMatchObject({ enabled: false, queued: 1 });

    client.enable();
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([waiting]));
    const later = idOf(await client.track('C', {}));
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([waiting, later]));
    expect(klaviyo.metrics()).not.toContain('B');
    expect(await client.status()).toMatchObject({ enabled: true, queued: 0 });
  });
});

describe('the onError hook', () => {
  it('can throw without breaking tracking or delivery', async () => {
    const onError = vi.fn(() => {
      throw new Error('the store’s hook is broken');
    });
    const { client } = make({ onError });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const repaired = await client.track('Viewed Product', cyclic);
    const refused = await client.track(42 as never);
    const id = idOf(await client.track('Added to Cart', {}));

    expect(repaired.ok).toBe(true);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_event_name' } });
    expect(onError).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([idOf(repaired), id]));
  });
});
