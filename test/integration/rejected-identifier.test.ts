import { createStore, set } from 'idb-keyval';
import { describe, expect, it, vi } from 'vitest';
import { createLocks } from '../support/harness';
import { createManualClock } from '../support/manual-clock';
import { invalidInput } from '../support/klaviyo-mock';
import { useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();
const REFUSED = '+15005550009';
const shared = () => ({ clock: createManualClock(), locks: createLocks() });

const profileOf = (request: { kind: string; body: any }) =>
  request.kind === 'event' ? request.body.data.attributes.profile.data.attributes : request.body.data.attributes;
const accepted = () => klaviyo.received.filter((r) => r.answered === 202);
const acceptedEvents = () => accepted().filter((r) => r.kind === 'event');

describe('an identifier Klaviyo refuses (400 naming it in source.pointer)', () => {
  it('is dropped from the buyer and the queue: the profile update, Logged In and later events land on the email', async () => {
    klaviyo.refusePhone(REFUSED);
    const { client, codes, errors } = make({ guestEvents: 'hold' });
    const viewed = await client.track('Viewed Product', { ProductID: 'p1' }); // a guest's, held until identify
    const identified = await client.identify({ email: 'ada@example.com', phone: REFUSED }, { reason: 'login' });
    expect(identified.ok).toBe(true);

    await vi.waitFor(() => expect(acceptedEvents()).toHaveLength(2));
    await vi.waitFor(() => expect(accepted().filter((r) => r.kind === 'profile')).toHaveLength(1));
    for (const request of accepted()) {
      expect(profileOf(request).email).toBe('ada@example.com');
      expect(profileOf(request).phone_number).toBeUndefined();
    }
    // Resent with the same unique_id, so a copy Klaviyo might have kept is not doubled.
    const refusedIds = klaviyo.received
      .filter((r) => r.answered === 400 && r.kind === 'event')
      .map((r) => r.body.data.attributes.unique_id);
    expect(refusedIds.length).toBeGreaterThan(0);
    for (const id of refusedIds) expect(acceptedEvents().map((r) => r.body.data.attributes.unique_id)).toContain(id);
    expect(acceptedEvents().map((r) => r.body.data.attributes.unique_id)).toContain(viewed.ok && viewed.uniqueId);

    expect(codes()).toContain('identifier_rejected');
    expect(codes()).not.toContain('dead_lettered');
    expect(errors.find((e) => e.error.code === 'identifier_rejected')?.error.details).toMatchObject({
      fields: ['phone_number'],
    });
    const status = await client.status();
    expect(status).toMatchObject({ deadLettered: 0, queued: 0, identified: true });
    expect(status.lastError?.code).toBe('identifier_rejected');

    // Later events carry no phone at all, so they cost no 400.
    const before = klaviyo.received.length;
    await client.track('Searched Site', { SearchTerm: 'linen' });
    await vi.waitFor(() => expect(klaviyo.received.length).toBe(before + 1));
    expect(klaviyo.received.at(-1)?.answered).toBe(202);
    expect(profileOf(klaviyo.received.at(-1)!).phone_number).toBeUndefined();
  });

  it('is forgotten for the next page too, and a theme identifying with it again does not bring it back', async () => {
    klaviyo.refusePhone(REFUSED);
    const world = shared();
    const first = make({}, world);
    await first.client.identify({ email: 'ada@example.com', phone: REFUSED });
    await vi.waitFor(() => expect(accepted().filter((r) => r.kind === 'profile')).toHaveLength(1));
    await vi.waitFor(async () => expect((await first.client.status()).queued).toBe(0));
    first.client.destroy();

    const next = make({}, world); // the next page of the shop
    const again = await next.client.identify({ email: 'ada@example.com', phone: REFUSED, firstName: 'Ada' });
    expect(again.ok && again.problems.map((p) => p.code)).toEqual(['identifier_rejected']);
    await next.client.track('Viewed Product', { ProductID: 'p2' });
    await vi.waitFor(() => expect(acceptedEvents()).toHaveLength(1));
    const refusedBefore = klaviyo.received.filter((r) => r.answered === 400).length;
    await next.client.flush();
    expect(klaviyo.received.filter((r) => r.answered === 400).length).toBe(refusedBefore);
    expect(profileOf(acceptedEvents()[0])).toMatchObject({ email: 'ada@example.com', first_name: 'Ada' });
    expect(profileOf(acceptedEvents()[0]).phone_number).toBeUndefined();
  });

  it('goes with the buyer at logout: the next buyer may give that value again', async () => {
    klaviyo.refusePhone(REFUSED);
    const { client } = make({});
    await client.identify({ email: 'ada@example.com', phone: REFUSED });
    await vi.waitFor(async () => expect((await client.status()).lastError?.code).toBe('identifier_rejected'));
    const before = await client.identify({ email: 'ada@example.com', phone: REFUSED });
    expect(before.ok && before.problems.map((p) => p.code)).toEqual(['identifier_rejected']);

    await client.reset();
    const next = await client.identify({ email: 'bob@example.com', phone: REFUSED });
    expect(next.ok && next.problems).toEqual([]);
    await vi.waitFor(() =>
      expect(klaviyo.received.some((r) => r.kind === 'profile' && profileOf(r).email === 'bob@example.com')).toBe(true),
    );
    const bob = klaviyo.received.find((r) => r.kind === 'profile' && profileOf(r).email === 'bob@example.com');
    expect(profileOf(bob!).phone_number).toBe(REFUSED);
  });

  it('dead-letters only a record left with no identifier at all, and keeps the refusal detail', async () => {
    klaviyo.refusePhone(REFUSED);
    // A profile update stored with the phone as its only identifier (e.g. by an older version of a page).
    const queue = createStore('wiz-klaviyo:AbC123:queue', 'records');
    await set(
      '000000001-0001-old',
      {
        key: '000000001-0001-old',
        payload: { kind: 'profile', profile: { phone_number: REFUSED } },
        queuedAt: Date.UTC(2026, 10, 28, 11, 59),
        failures: 0,
        serverFailures: 0,
        notBefore: 0,
      },
      queue,
    );
    const { client } = make();
    await client.track('Viewed Product', { ProductID: 'p1' });
    await vi.waitFor(async () => expect((await client.status()).queued).toBe(0));
    const letters = await client.deadLetters.list();
    expect(letters).toHaveLength(1);
    expect(letters[0].reason).toMatchObject({ code: 'rejected', status: 400 });
    expect(letters[0].record.payload.profile).toEqual({ phone_number: REFUSED });
    expect(acceptedEvents()).toHaveLength(1);
  });

  it('still dead-letters a 400 that names something other than an identifier', async () => {
    const { client, codes } = make();
    klaviyo.queueAnswers(invalidInput('bad', '/data/attributes/properties'));
    await client.identify({ email: 'ada@example.com' });
    await vi.waitFor(async () => expect((await client.status()).deadLettered).toBe(1));
    expect(codes()).not.toContain('identifier_rejected');
  });
});
