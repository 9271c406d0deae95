import { describe, expect, it, vi } from 'vitest';
import { createFakePage, onsiteQueue } from '../support/fake-page';
import { createLocks } from '../support/harness';
import { useKlaviyo } from '../support/suite';
import { createManualClock } from '../support/manual-clock';

const { klaviyo, make } = useKlaviyo();
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const shared = () => ({ clock: createManualClock(), locks: createLocks() });

const profiles = () => klaviyo.received.filter((r) => r.kind === 'profile').map((r) => r.body.data.attributes);
const eventsNamed = (metric: string) =>
  klaviyo.events().filter((r) => r.body.data.attributes.metric.data.attributes.name === metric);
const eventProfile = (request: { body: any }) => request.body.data.attributes.profile.data.attributes;

describe('identify()', () => {
  it('sends no second profile update when the same buyer is identified again, but does when a detail changes', async () => {
    const { client } = make();
    await client.identify({ email: 'ada@example.com', firstName: 'Ada' });
    await client.identify({ email: 'ada@example.com', firstName: 'Ada' }, { reason: 'page' });
    await client.identify({ email: 'ADA@example.com' });
    await vi.waitFor(() => expect(profiles()).toHaveLength(1));
    await client.identify({ email: 'ada@example.com', lastName: 'Lovelace' });
    await vi.waitFor(() => expect(profiles()).toHaveLength(2));
    expect(profiles()[1]).toMatchObject({ email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' });
    expect((await client.status()).queued).toBe(0);
  });

  it('upserts the profile through /client/profiles with Klaviyo field names and custom properties', async () => {
    const { client } = make();
    const result = await client.identify({
      email: ' Ada@Example.COM ',
      phone: '+49 (151) 123-456 78',
      firstName: 'Ada',
      lastName: 'Lovelace',
      externalId: 'cust-42',
      properties: { Tier: 'gold' },
    });
    expect(result).toEqual({ ok: true, released: 0, problems: [] });
    await vi.waitFor(() => expect(profiles()).toHaveLength(1));
    const [request] = klaviyo.received.filter((r) => r.kind === 'profile');
    expect(request.url.pathname).toBe('/client/profiles');
    expect(request.url.searchParams.get('company_id')).toBe('AbC123');
    expect(request.body.data.type).toBe('profile');
    expect(profiles()[0]).toEqual({
      anonymous_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'ada@example.com',
      phone_number: '+4915112345678',
      first_name: 'Ada',
      last_name: 'Lovelace',
      external_id: 'cust-42',
      properties: { Tier: 'gold' },
    });
  });

  it('reports a bad email as invalid_email and still applies the phone', async () => {
    const { client, codes } = make();
    const result = await client.identify({ email: 'not-an-email', phone: '0049 151 12345678' });
    expect(result.ok).toBe(true);
    expect(result.ok && result.problems.map((p) => p.code)).toEqual(['invalid_email']);
    expect(codes()).toEqual(['invalid_email']);
    await vi.waitFor(() => expect(profiles()).toHaveLength(1));
    expect(profiles()[0].phone_number).toBe('+4915112345678');
    expect(profiles()[0].email).toBeUndefined();
    expect((await client.status()).identified).toBe(true);
  });

  it('refuses a phone number without a country code with invalid_phone', async () => {
    const { client, codes } = make();
    const result = await client.identify({ phone: '0151 1234567' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('invalid_phone');
    expect(codes()).toEqual(['invalid_phone']);
    await client.flush();
    expect(klaviyo.received).toEqual([]);
    expect((await client.status()).identified).toBe(false);
  });

  it('refuses a call with nothing usable as invalid_identity, without throwing', async () => {
    const { client } = make();
    const empty = await client.identify({});
    const garbage = await client.identify('ada@example.com' as never);
    expect(!empty.ok && empty.error.code).toBe('invalid_identity');
    expect(!garbage.ok && garbage.error.code).toBe('invalid_identity');
  });

  it('attaches the email to events tracked after identify', async () => {
    const { client } = make();
    await client.identify({ email: 'ada@example.com', externalId: 'cust-42' });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    expect(eventProfile(klaviyo.events()[0])).toMatchObject({ email: 'ada@example.com', external_id: 'cust-42' });
  });

  it('records Logged In on the buyer profile when the reason is login, and not otherwise', async () => {
    const { client } = make();
    await client.identify({ email: 'ada@example.com' }, { reason: 'signup' });
    await client.identify({ email: 'ada@example.com' }, { reason: 'login' });
    await vi.waitFor(() => expect(eventsNamed('Logged In')).toHaveLength(1));
    await client.flush();
    expect(eventsNamed('Logged In')).toHaveLength(1);
    const loggedIn = eventsNamed('Logged In')[0].body.data.attributes;
    expect(eventProfile(eventsNamed('Logged In')[0]).email).toBe('ada@example.com');
    expect(loggedIn.properties).toEqual({});
  });

  it('treats a different email as a new buyer with a new anonymous_id', async () => {
    const { client } = make();
    await client.identify({ email: 'ada@example.com' });
    await client.identify({ email: 'grace@example.com' });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await vi.waitFor(() => expect(profiles()).toHaveLength(2));
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    const [ada, grace] = profiles();
    expect(ada.email).toBe('ada@example.com');
    expect(grace.email).toBe('grace@example.com');
    expect(grace.anonymous_id).not.toBe(ada.anonymous_id);
    expect(eventProfile(klaviyo.events()[0])).toEqual({ email: 'grace@example.com', anonymous_id: grace.anonymous_id });
  });

  it('keeps the same anonymous_id when the same buyer adds details', async () => {
    const { client } = make();
    await client.identify({ email: 'ada@example.com' });
    await client.identify({ email: 'ADA@example.com', firstName: 'Ada' });
    await vi.waitFor(() => expect(profiles()).toHaveLength(2));
    const [first, second] = profiles();
    expect(second.anonymous_id).toBe(first.anonymous_id);
    expect(second).toMatchObject({ email: 'ada@example.com', first_name: 'Ada' });
  });

  it('calls klaviyo.identify on the onsite object with only what it takes: Klaviyo field names and custom properties', async () => {
    const page = createFakePage('https://shop.example/?_kx=abc.123');
    const { client } = make({ onsite: false, platform: { window: page.window } });
    await client.identify({
      email: 'ada@example.com',
      phone: '+4915112345678',
      firstName: 'Ada',
      lastName: 'L',
      externalId: 'c-1',
      properties: { Tier: 'gold' },
    });
    const [call] = onsiteQueue(page.window).filter((c) => c[0] === 'identify');
    // No external_id, anonymous_id or _kx: klaviyo.js cookies the browser with what it is given.
    expect(call[1]).toEqual({
      email: 'ada@example.com',
      phone_number: '+4915112345678',
      first_name: 'Ada',
      last_name: 'L',
      Tier: 'gold',
    });
  });
});

describe('identity changes in call order', () => {
  it("records a login's Logged In on that buyer even when reset() follows in the same tick", async () => {
    const { client } = make({ guestEvents: 'hold' });
    const login = client.identify({ email: 'ada@example.com' }, { reason: 'login' });
    const logout = client.reset();
    await Promise.all([login, logout]);
    await vi.waitFor(() => expect(eventsNamed('Logged In')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Logged In')[0]).email).toBe('ada@example.com');
    expect(await client.status()).toMatchObject({ identified: false, held: 0 });
  });
});

describe('guest hold', () => {
  it('stores a guest event without sending it and counts it as held', async () => {
    const { client } = make({ guestEvents: 'hold' });
    const result = await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    expect(result.ok).toBe(true);
    await client.flush();
    expect(klaviyo.received).toEqual([]);
    const status = await client.status();
    expect(status).toMatchObject({ identified: false, queued: 1, held: 1 });
  });

  it('releases held events at identify with the email, their original time and their order', async () => {
    const { client, clock } = make({ guestEvents: 'hold', delivery: { concurrency: 1 } });
    const first = clock.now();
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    clock.advance(5 * MINUTE);
    await client.addedToCart({ id: 'p1', name: 'Linen Shirt', price: 49, quantity: 1 });
    clock.advance(5 * MINUTE);
    await client.track('Searched Site', { SearchTerm: 'linen' });
    clock.advance(20 * MINUTE);

    const result = await client.identify({ email: 'ada@example.com' });
    expect(result.ok && result.released).toBe(3);
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(3));
    expect(klaviyo.metrics()).toEqual(['Viewed Product', 'Added to Cart', 'Searched Site']);
    const times = klaviyo.events().map((r) => r.body.data.attributes.time);
    expect(times).toEqual([first, first + 5 * MINUTE, first + 10 * MINUTE].map((t) => new Date(t).toISOString()));
    const anonymous = profiles()[0]?.anonymous_id ?? eventProfile(klaviyo.events()[0]).anonymous_id;
    for (const request of klaviyo.events()) {
      expect(eventProfile(request)).toEqual({ email: 'ada@example.com', anonymous_id: anonymous });
      expect(request.body.data.attributes.backfill).toBeUndefined();
    }
    expect((await client.status()).held).toBe(0);
  });

  it('releases guest events held by an earlier page when the buyer identifies on a later one', async () => {
    const world = shared();
    const page1 = make({ guestEvents: 'hold' }, world);
    await page1.client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    page1.client.destroy();
    world.clock.advance(2 * MINUTE);

    const page2 = make({ guestEvents: 'hold' }, world);
    expect((await page2.client.status()).held).toBe(1);
    const result = await page2.client.identify({ email: 'ada@example.com' });
    expect(result.ok && result.released).toBe(1);
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    expect(eventProfile(klaviyo.events()[0]).email).toBe('ada@example.com');
  });

  it('sends a guest event that waited longer than the queue age limit once it is released, as backfill', async () => {
    // Holds last up to 14 days while undelivered events expire after 7: a release must not dead-letter them.
    const { client, clock, codes } = make({ guestEvents: 'hold' });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    clock.advance(8 * DAY);
    await client.identify({ email: 'ada@example.com' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    expect(klaviyo.events()[0].body.data.attributes.backfill).toBe(true);
    expect(await client.deadLetters.list()).toEqual([]);
    expect(codes()).not.toContain('dead_lettered');
  });

  it('drops held events after guestHoldMs, counts them and reports hold_expired', async () => {
    const { client, clock, codes } = make({ guestEvents: 'hold', guestHoldMs: 10 * MINUTE });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await client.track('Viewed Product', { ProductName: 'Wool Scarf' });
    clock.advance(11 * MINUTE);
    await client.flush();
    const status = await client.status();
    expect(status).toMatchObject({ held: 0, queued: 0, expiredHolds: 2 });
    expect(codes()).toContain('hold_expired');
    const result = await client.identify({ email: 'ada@example.com' });
    expect(result.ok && result.released).toBe(0);
    await client.flush();
    expect(klaviyo.events()).toEqual([]);
  });

  it('keeps held events that are younger than guestHoldMs', async () => {
    const { client, clock, codes } = make({ guestEvents: 'hold', guestHoldMs: 10 * MINUTE });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    clock.advance(9 * MINUTE);
    await client.flush();
    expect(await client.status()).toMatchObject({ held: 1, expiredHolds: 0 });
    expect(codes()).not.toContain('hold_expired');
  });

  it("sends a guest's events at once under anonymous_id when guestEvents is 'send'", async () => {
    const { client } = make({ guestEvents: 'send' });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    expect(Object.keys(eventProfile(klaviyo.events()[0]))).toEqual(['anonymous_id']);
    expect((await client.status()).held).toBe(0);
  });

  it('does not hold events of a buyer who is already identified', async () => {
    const { client } = make({ guestEvents: 'hold' });
    await client.identify({ externalId: 'cust-42' });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    expect(eventProfile(klaviyo.events()[0]).external_id).toBe('cust-42');
  });
});

describe('reset()', () => {
  it('forgets the buyer: the next events are held again under a new anonymous_id', async () => {
    const { client } = make({ guestEvents: 'hold' });
    await client.identify({ email: 'ada@example.com' });
    await vi.waitFor(() => expect(profiles()).toHaveLength(1));
    await client.reset();
    expect((await client.status()).identified).toBe(false);
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await client.flush();
    expect(klaviyo.events()).toEqual([]);
    expect((await client.status()).held).toBe(1);

    await client.identify({ email: 'grace@example.com' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    const released = eventProfile(klaviyo.events()[0]);
    expect(released.email).toBe('grace@example.com');
    expect(released.anonymous_id).not.toBe(profiles()[0].anonymous_id);
  });

  it('forgets the stored buyer even when called as soon as the instance is created', async () => {
    // A logout page calls reset() on load, before the stored buyer has been read back.
    const world = shared();
    const page1 = make({ guestEvents: 'send' }, world);
    await page1.client.identify({ email: 'ada@example.com' });
    page1.client.destroy();

    const page2 = make({ guestEvents: 'send' }, world);
    const reset = page2.client.reset();
    await reset;
    expect((await page2.client.status()).identified).toBe(false);
    await page2.client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await vi.waitFor(() => expect(eventsNamed('Viewed Product')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Viewed Product')[0]).email).toBeUndefined();

    page2.client.destroy();
    const page3 = make({ guestEvents: 'send' }, world);
    expect((await page3.client.status()).identified).toBe(false);
  });
});

describe('Klaviyo-known shoppers (_kx)', () => {
  it('does not hold events of a shopper who landed from a Klaviyo email and sends them with _kx', async () => {
    const page = createFakePage('https://shop.example/products/linen-shirt?utm_source=klaviyo&_kx=abc');
    const { client } = make({ guestEvents: 'hold', onsite: false, platform: { window: page.window } });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await vi.waitFor(() => expect(eventsNamed('Viewed Product')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Viewed Product')[0])).toMatchObject({ _kx: 'abc' });
    const status = await client.status();
    expect(status).toMatchObject({ identified: true, held: 0 });
  });

  it('releases guest events held before the shopper arrived from a Klaviyo email', async () => {
    const world = shared();
    const guest = make({ guestEvents: 'hold' }, world);
    await guest.client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    guest.client.destroy();

    const page = createFakePage('https://shop.example/?_kx=abc');
    make({ guestEvents: 'hold', onsite: false, platform: { window: page.window } }, world);
    await vi.waitFor(() => expect(eventsNamed('Viewed Product')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Viewed Product')[0])._kx).toBe('abc');
  });
});

describe("shoppers klaviyo.js's __kla_id cookie names", () => {
  const klaId = (visitor: object) => `__kla_id=${encodeURIComponent(btoa(JSON.stringify(visitor)))}`;
  const known = klaId({ cid: 'c1', $exchange_id: 'kx-from-cookie', $referrer: { ts: 1 } });
  const submit = (page: ReturnType<typeof createFakePage>, type = 'submit') =>
    page.window.dispatchEvent(new CustomEvent('klaviyoForms', { detail: { type, formId: 'F12345', metaData: {} } }));

  it("releases held guest events onto the cookie's exchange id at start, and sends later events with it", async () => {
    const world = shared();
    const guest = make({ guestEvents: 'hold' }, world);
    await guest.client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    guest.client.destroy();

    const page = createFakePage('https://shop.example/', { cookie: `_ga=1; ${known}` });
    const { client } = make({ guestEvents: 'hold', onsite: false, platform: { window: page.window } }, world);
    await vi.waitFor(() => expect(eventsNamed('Viewed Product')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Viewed Product')[0])._kx).toBe('kx-from-cookie');
    await client.track('Added to Cart', { ItemNames: ['Linen Shirt'] });
    await vi.waitFor(() => expect(eventsNamed('Added to Cart')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Added to Cart')[0])._kx).toBe('kx-from-cookie');
    expect(await client.status()).toMatchObject({ identified: true, held: 0 });
  });

  it('releases them when a Klaviyo form submit identified the visitor on this page', async () => {
    const page = createFakePage('https://shop.example/');
    const { client } = make({ guestEvents: 'hold', platform: { window: page.window } }); // klaviyo.js still loading
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    expect((await client.status()).held).toBe(1);

    page.document.cookie = known; // klaviyo.js identified the visitor from the form
    submit(page, 'open'); // only a submit counts
    await client.flush();
    expect((await client.status()).held).toBe(1);
    submit(page);
    await vi.waitFor(() => expect(eventsNamed('Viewed Product')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Viewed Product')[0])._kx).toBe('kx-from-cookie');
    expect((await client.status()).identified).toBe(true);
  });

  it('releases them once klaviyo.js has loaded and set the cookie', async () => {
    const page = createFakePage('https://shop.example/');
    const { client } = make({ guestEvents: 'hold', platform: { window: page.window } });
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    expect((await client.status()).held).toBe(1);
    page.document.cookie = known;
    page.scripts()[0].dispatchEvent(new Event('load'));
    await vi.waitFor(() => expect(eventsNamed('Viewed Product')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Viewed Product')[0])._kx).toBe('kx-from-cookie');
  });

  it("does not put the cookie's exchange id on a buyer identified by email", async () => {
    const world = shared();
    const first = make({ guestEvents: 'hold' }, world);
    await first.client.identify({ email: 'ada@example.com' });
    first.client.destroy();

    const page = createFakePage('https://shop.example/', { cookie: known });
    const { client } = make({ guestEvents: 'hold', onsite: false, platform: { window: page.window } }, world);
    submit(page);
    await client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await vi.waitFor(() => expect(eventsNamed('Viewed Product')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Viewed Product')[0])).toMatchObject({ email: 'ada@example.com' });
    expect(eventProfile(eventsNamed('Viewed Product')[0])._kx).toBeUndefined();
  });

  it("never adopts the cookie's visitor while consent is denied", async () => {
    const world = shared();
    const first = make({ guestEvents: 'hold' }, world);
    await first.client.setConsent(false);
    first.client.destroy();

    const page = createFakePage('https://shop.example/');
    Object.defineProperty(page.document, 'cookie', { get: () => known });
    const { client } = make({ guestEvents: 'hold', platform: { window: page.window } }, world);
    expect((await client.status()).consent).toBe('denied');
    submit(page);
    await client.flush();
    // (the gate itself reads cookies: Klaviyo's __kla_off opt-out is one)
    expect((await client.status()).identified).toBe(false);
    expect(klaviyo.received).toEqual([]);
  });
});

describe('persistence', () => {
  it('keeps the identified buyer across instances on the same IndexedDB', async () => {
    const world = shared();
    const page1 = make({ guestEvents: 'hold' }, world);
    await page1.client.identify({ email: 'ada@example.com', firstName: 'Ada' });
    await vi.waitFor(() => expect(profiles()).toHaveLength(1));
    page1.client.destroy();

    const page2 = make({ guestEvents: 'hold' }, world);
    expect((await page2.client.status()).identified).toBe(true);
    await page2.client.track('Viewed Product', { ProductName: 'Linen Shirt' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    expect(eventProfile(klaviyo.events()[0])).toEqual({
      anonymous_id: profiles()[0].anonymous_id,
      email: 'ada@example.com',
      first_name: 'Ada',
    });
  });

  it('keeps the same anonymous_id for a guest across instances', async () => {
    const world = shared();
    const page1 = make({ guestEvents: 'send' }, world);
    await page1.client.track('Viewed Product', { ProductName: 'A' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    page1.client.destroy();
    const page2 = make({ guestEvents: 'send' }, world);
    await page2.client.track('Viewed Product', { ProductName: 'B' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(2));
    const [a, b] = klaviyo.events().map(eventProfile);
    expect(b.anonymous_id).toBe(a.anonymous_id);
  });

  it('keeps identities of two tenants apart', async () => {
    const world = shared();
    const acme = make({ tenant: 'acme' }, world);
    const other = make({ tenant: 'other' }, world);
    await acme.client.identify({ email: 'ada@example.com' });
    expect((await acme.client.status()).identified).toBe(true);
    expect((await other.client.status()).identified).toBe(false);
  });
});
