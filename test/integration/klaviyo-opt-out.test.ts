import { describe, expect, it, vi } from 'vitest';
import { createFakePage } from '../support/fake-page';
import { createLocks } from '../support/harness';
import { createManualClock } from '../support/manual-clock';
import { useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();
const shared = () => ({ clock: createManualClock(), locks: createLocks() });
const klaviyoScripts = (page: ReturnType<typeof createFakePage>) =>
  page.scripts().filter((s) => s.src.includes('klaviyo.js'));

describe("Klaviyo's opt-out cookie __kla_off", () => {
  it('collects and sends nothing and loads no klaviyo.js while it is set, and status() says why', async () => {
    const page = createFakePage('https://shop.example/', { cookie: '_ga=1; __kla_off=true' });
    const { client, errors } = make({ platform: { window: page.window } });
    const result = await client.track('Viewed Product', { ProductID: 'p1' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ code: 'consent_denied', details: { cookie: '__kla_off' } });
    const identified = await client.identify({ email: 'ada@example.com' });
    expect(identified.ok).toBe(false);
    await client.flush();

    expect(klaviyo.received).toEqual([]);
    expect(klaviyoScripts(page)).toEqual([]);
    const status = await client.status();
    expect(status).toMatchObject({
      klaviyoOptOut: true,
      consent: 'granted',
      enabled: true,
      queued: 0,
      identified: false,
    });
    expect(errors.map((e) => e.error.code)).toContain('consent_denied');
  });

  it('keeps what was stored before (unlike setConsent(false)) and sends it once the cookie is cleared', async () => {
    const world = shared();
    const before = make({ consent: 'pending', onsite: false }, world); // the shop's banner is still open
    await before.client.identify({ email: 'ada@example.com' });
    await before.client.track('Viewed Product', { ProductID: 'p1' });
    before.client.destroy();

    const page = createFakePage('https://shop.example/', { cookie: '__kla_off=true' });
    const { client } = make({ consent: 'pending', onsite: false, platform: { window: page.window } }, world);
    await client.setConsent(true); // the shop's own consent, while the consent tool keeps Klaviyo off
    await client.flush();
    expect(klaviyo.received).toEqual([]);
    expect(await client.status()).toMatchObject({
      klaviyoOptOut: true,
      consent: 'granted',
      queued: 2,
      identified: true,
    });

    (page.document as { cookie: string }).cookie = '__kla_off=false'; // the consent tool switches Klaviyo back on
    await client.flush();
    await vi.waitFor(() => expect(klaviyo.metrics()).toEqual(['Viewed Product']));
    expect(klaviyo.received.map((r) => r.kind).sort()).toEqual(['event', 'profile']);
    expect((await client.status()).klaviyoOptOut).toBe(false);
  });

  it('stops sending what is queued as soon as it is set, without a page load', async () => {
    const page = createFakePage('https://shop.example/');
    const { client, clock } = make({ platform: { window: page.window } });
    klaviyo.queueAnswers('network'); // the first try fails: the event waits for its retry
    await client.track('Viewed Product', { ProductID: 'p1' });
    await vi.waitFor(() => expect(klaviyo.received).toHaveLength(1));

    (page.document as { cookie: string }).cookie = '__kla_off=true';
    clock.advance(60_000);
    await client.flush();
    expect(klaviyo.received).toHaveLength(1);
    expect((await client.status()).queued).toBe(1);
  });
});

describe('our own Active on Site (klaviyo.js off or blocked)', () => {
  const activeOnSite = () => klaviyo.metrics().filter((m) => m === 'Active on Site');

  it('is not even collected while consent is pending, and is sent once consent is granted', async () => {
    const page = createFakePage('https://shop.example/');
    const { client } = make({ consent: 'pending', onsite: false, platform: { window: page.window } });
    await client.status();
    await client.flush();
    expect((await client.status()).queued).toBe(0);

    await client.setConsent(true);
    await vi.waitFor(() => expect(activeOnSite()).toHaveLength(1));
  });

  it('is not sent while __kla_off is set', async () => {
    const page = createFakePage('https://shop.example/', { cookie: '__kla_off=1' });
    const { client } = make({ onsite: false, platform: { window: page.window } });
    await client.status();
    await client.flush();
    expect(klaviyo.received).toEqual([]);
  });
});

describe('klaviyo.js and a decision stored by an earlier page', () => {
  it('is not loaded on the next page of a shopper who opted out', async () => {
    const world = shared();
    const first = make({}, world);
    await first.client.setConsent(false);
    first.client.destroy();

    const page = createFakePage('https://shop.example/');
    const { client } = make({ platform: { window: page.window } }, world);
    expect((await client.status()).consent).toBe('denied');
    await client.flush();
    expect(klaviyoScripts(page)).toEqual([]);
  });
});
