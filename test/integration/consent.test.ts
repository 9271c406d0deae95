import { afterEach, describe, expect, it, vi } from 'vitest';
import { indexedDbStorage, type StorageFactory } from '../../src/storage';
import { createLocks } from '../support/harness';
import { createManualClock } from '../support/manual-clock';
import { idOf, useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();

const HOUR = 3600_000;
const FAST = { interval: 2, timeout: 2000 };
const store = (name: 'queue' | 'dead' | 'meta') => indexedDbStorage()(`wiz-klaviyo:AbC123:${name}`);
const storedBuyer = () => store('meta').get<Record<string, string>>('buyer');
const profilesSent = () => klaviyo.received.filter((r) => r.kind === 'profile').map((r) => r.body.data.attributes);

describe('consent pending', () => {
  it('stores events but sends nothing, even an hour later', async () => {
    const { client, clock } = make({ consent: 'pending' });
    idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    idOf(await client.track('Searched Site', { SearchTerm: 'linen' }));
    await client.flush();
    clock.advance(HOUR);
    await client.flush();

    expect(klaviyo.received).toEqual([]);
    const status = await client.status();
    expect(status.consent).toBe('pending');
    expect(status.queued).toBe(2);
    expect(await store('queue').entries()).toHaveLength(2);
  });

  it('sends what waited, in order, once the shopper consents', async () => {
    const { client } = make({ consent: 'pending', delivery: { concurrency: 1 } });
    const first = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    const second = idOf(await client.track('Searched Site', { SearchTerm: 'linen' }));
    await client.flush();
    expect(klaviyo.received).toEqual([]);

    await client.setConsent(true);
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([first, second]), FAST);
    expect((await client.status()).consent).toBe('granted');
    await vi.waitFor(async () => expect((await client.status()).queued).toBe(0), FAST);
  });
});

describe('consent withdrawn', () => {
  it('deletes the queue and the dead letters, forgets the buyer, and collects nothing more', async () => {
    const { client, clock, codes } = make({ delivery: { concurrency: 1 } });
    // One event Klaviyo refuses (a dead letter), then Klaviyo is down: the rest stays queued.
    klaviyo.queueAnswers(400);
    idOf(await client.track('Viewed Product', { ProductName: 'Refused' }));
    await vi.waitFor(async () => expect(await client.deadLetters.list()).toHaveLength(1), FAST);
    klaviyo.setFallback(503);
    await client.identify({ email: 'ada@example.com', phone: '+4915112345678' });
    idOf(await client.track('Added to Cart', { AddedItemProductName: 'Linen Shirt' }));
    await vi.waitFor(async () => expect((await client.status()).queued).toBe(2), FAST);
    const before = await storedBuyer();
    expect(before?.email).toBe('ada@example.com');
    expect((await client.status()).identified).toBe(true);

    await client.setConsent(false);
    const requests = klaviyo.received.length;
    const status = await client.status();
    expect(status.consent).toBe('denied');
    expect(status.queued).toBe(0);
    expect(status.identified).toBe(false);
    expect(await client.deadLetters.list()).toEqual([]);
    expect(await store('queue').entries()).toEqual([]);
    expect(await store('dead').entries()).toEqual([]);
    const after = await storedBuyer();
    expect(after).toEqual({ anonymous_id: expect.any(String) });
    expect(after?.anonymous_id).not.toBe(before?.anonymous_id);

    const refused = await client.track('Viewed Product', { ProductName: 'After withdrawal' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('consent_denied');
    const identified = await client.identify({ email: 'ada@example.com' });
    expect(!identified.ok && identified.error.code).toBe('consent_denied');
    expect((await client.status()).queued).toBe(0);
    expect(await store('queue').entries()).toEqual([]);
    expect(codes().filter((code) => code === 'consent_denied')).toHaveLength(2);

    klaviyo.setFallback(202);
    clock.advance(HOUR);
    await client.flush();
    expect(klaviyo.received).toHaveLength(requests);
  });

  it('starts a new anonymous_id for the next identify after consent is given again', async () => {
    const { client } = make();
    await client.identify({ email: 'ada@example.com' });
    await vi.waitFor(() => expect(profilesSent()).toHaveLength(1), FAST);
    const first = profilesSent()[0].anonymous_id;

    await client.setConsent(false);
    await client.setConsent(true);
    await client.identify({ email: 'ada@example.com' });
    await vi.waitFor(() => expect(profilesSent()).toHaveLength(2), FAST);
    expect(profilesSent()[1].anonymous_id).toEqual(expect.any(String));
    expect(profilesSent()[1].anonymous_id).not.toBe(first);
  });
});

describe('a stored decision', () => {
  it('is granted for the next page on the same IndexedDB, even when the default is pending', async () => {
    const first = make({ consent: 'pending' });
    await first.client.setConsent(true);
    first.client.destroy();

    const { client } = make({ consent: 'pending' });
    expect((await client.status()).consent).toBe('granted');
    const id = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id]), FAST);
  });

  it('is what status() reports even while storage is slow to read it back', async () => {
    const first = make({ consent: 'pending' });
    await first.client.setConsent(true);
    first.client.destroy();

    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const idb = indexedDbStorage();
    const reads = { consentAsked: false, others: 0, othersPending: 0 };
    const slowConsent: StorageFactory = (name) => {
      const real = idb(name);
      return {
        ...real,
        async get<T>(key: string) {
          if (key === 'consent') {
            reads.consentAsked = true;
            return gate.then(() => real.get<T>(key));
          }
          reads.others++;
          reads.othersPending++;
          try {
            return await real.get<T>(key);
          } finally {
            reads.othersPending--;
          }
        },
      };
    };
    const { client } = make({ consent: 'pending', storage: slowConsent });
    const status = client.status();
    let answered = false;
    void status.then(() => (answered = true));
    // Every other read has come back; the stored decision is still on its way, and status() waits for it.
    await vi.waitFor(() => expect(reads).toMatchObject({ consentAsked: true, othersPending: 0 }));
    expect(reads.others).toBeGreaterThan(0);
    expect(answered).toBe(false);
    release();
    expect((await status).consent).toBe('granted');
  });

  it('is denied for the next page on the same IndexedDB, which stores nothing', async () => {
    const first = make();
    await first.client.setConsent(false);
    first.client.destroy();

    const { client } = make();
    expect((await client.status()).consent).toBe('denied');
    const result = await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    expect(!result.ok && result.error.code).toBe('consent_denied');
    expect(await store('queue').entries()).toEqual([]);
    await client.flush();
    expect(klaviyo.received).toEqual([]);
  });
});

describe('Global Privacy Control', () => {
  const descriptor = Object.getOwnPropertyDescriptor(navigator, 'globalPrivacyControl');
  const signal = () => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
  afterEach(() => {
    if (descriptor) Object.defineProperty(navigator, 'globalPrivacyControl', descriptor);
    else delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
  });

  it('counts as an opt-out by default: nothing is stored or sent', async () => {
    signal();
    const { client } = make();
    expect((await client.status()).consent).toBe('denied');
    const result = await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    expect(!result.ok && result.error.code).toBe('consent_denied');
    expect(await store('queue').entries()).toEqual([]);
    await client.flush();
    expect(klaviyo.received).toEqual([]);
  });

  it('is ignored with respectGpc: false', async () => {
    signal();
    const { client } = make({ respectGpc: false });
    expect((await client.status()).consent).toBe('granted');
    const id = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id]), FAST);
  });

  it('gives way to an explicit setConsent(true)', async () => {
    signal();
    const { client } = make();
    await client.setConsent(true);
    expect((await client.status()).consent).toBe('granted');
    const id = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id]), FAST);
  });
});

describe('the kill switch', () => {
  it('stops collecting and sending at once, keeps what is queued, and sends it after enable()', async () => {
    const { client, clock } = make();
    klaviyo.setFallback(503);
    const waiting = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt' }));
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1), FAST);

    client.disable();
    klaviyo.setFallback(202);
    const refused = await client.track('Searched Site', { SearchTerm: 'linen' });
    expect(!refused.ok && refused.error.code).toBe('tenant_disabled');
    clock.advance(HOUR);
    await client.flush();
    expect(klaviyo.events()).toHaveLength(1);
    const status = await client.status();
    expect(status.enabled).toBe(false);
    expect(status.queued).toBe(1);

    client.enable();
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([waiting]), FAST);
    expect((await client.status()).enabled).toBe(true);
    expect((await client.status()).queued).toBe(0);
  });
});

describe('reset()', () => {
  it('removes the buyer identifiers from the stored meta and starts a new guest', async () => {
    const { client } = make();
    await client.identify({ email: 'ada@example.com', phone: '+4915112345678', externalId: 'c-1', firstName: 'Ada' });
    const before = await storedBuyer();
    expect(before).toMatchObject({
      email: 'ada@example.com',
      phone_number: '+4915112345678',
      external_id: 'c-1',
      first_name: 'Ada',
    });

    await client.reset();
    const after = await storedBuyer();
    expect(after).toEqual({ anonymous_id: expect.any(String) });
    expect(after?.anonymous_id).not.toBe(before?.anonymous_id);
    expect((await client.status()).identified).toBe(false);

    // A new page on the same IndexedDB is a guest too.
    const next = make({}, { clock: createManualClock(), locks: createLocks() });
    expect((await next.client.status()).identified).toBe(false);
  });
});
