import { afterEach, describe, expect, it, vi } from 'vitest';
import { installGlobal, optionsFromScript, type WizKlaviyoGlobal } from '../../src/global';
import type { WizKlaviyoOptions } from '../../src/options';
import type { ErrorInfo } from '../../src/report';
import { indexedDbStorage, type StorageFactory } from '../../src/storage';
import { testPlatform, bundledParts } from '../support/harness';
import { databaseNames, useKlaviyo } from '../support/suite';

const { klaviyo } = useKlaviyo();

let made: Array<{ destroy(): void }> = [];
afterEach(() => {
  for (const client of made) client.destroy();
  made = [];
});

/** Options as a test page would pass them, with the controlled clock and a storage that records what it opens. */
function pageOptions(overrides: Partial<WizKlaviyoOptions> = {}) {
  const opened: string[] = [];
  const errors: ErrorInfo[] = [];
  const idb = indexedDbStorage();
  const storage: StorageFactory = (name) => {
    opened.push(name);
    return idb(name);
  };
  const options: WizKlaviyoOptions = {
    siteKey: 'AbC123',
    guestEvents: 'send',
    storage,
    onError: (info) => errors.push(info),
    delivery: { concurrency: 1 },
    ...overrides,
    platform: { ...testPlatform(), ...overrides.platform },
  };
  return { options, opened, errors };
}

function install(target: { wizKlaviyo?: unknown }, options: WizKlaviyoOptions): WizKlaviyoGlobal {
  const global = installGlobal(target, options, bundledParts);
  made.push(global);
  return global;
}

const eventProfile = (request: { body: any }) => request.body.data.attributes.profile.data.attributes;
const eventsNamed = (metric: string) =>
  klaviyo.events().filter((r) => r.body.data.attributes.metric.data.attributes.name === metric);

describe('installGlobal', () => {
  it('replays the calls queued on the stub in order', async () => {
    const target = {
      wizKlaviyo: [
        ['track', 'Viewed Product', { ProductName: 'A' }],
        ['identify', { email: 'ada@example.com' }],
        ['track', 'Viewed Product', { ProductName: 'B' }],
      ],
    };
    const { options } = pageOptions();
    install(target, options);
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(2));
    await vi.waitFor(() => expect(klaviyo.received.filter((r) => r.kind === 'profile')).toHaveLength(1));
    const [a, b] = klaviyo.events();
    expect(a.body.data.attributes.properties).toEqual({ ProductName: 'A' });
    expect(b.body.data.attributes.properties).toEqual({ ProductName: 'B' });
    // A happened before the shopper identified, B after.
    expect(eventProfile(a).email).toBeUndefined();
    expect(eventProfile(b).email).toBe('ada@example.com');
    expect(eventProfile(b).anonymous_id).toBe(eventProfile(a).anonymous_id);
  });

  it('replays a reset queued before a track, so the track is not sent as the forgotten buyer', async () => {
    const first = pageOptions();
    const firstPage = install({}, first.options);
    await firstPage.identify({ email: 'ada@example.com' });
    firstPage.destroy();

    const target = { wizKlaviyo: [['reset'], ['track', 'Viewed Product', { ProductName: 'A' }]] };
    install(target, pageOptions().options);
    await vi.waitFor(() => expect(eventsNamed('Viewed Product')).toHaveLength(1));
    expect(eventProfile(eventsNamed('Viewed Product')[0]).email).toBeUndefined();
  });

  it('ignores garbage on the stub without throwing and still runs the good calls', async () => {
    const target = {
      wizKlaviyo: [
        42,
        null,
        'track',
        {},
        [],
        [7, 'Viewed Product'],
        ['nonexistent', 1],
        ['constructor'],
        ['track', 'Searched Site', { SearchTerm: 'linen' }],
        ['track'],
        ['viewedProduct', 'not a product'],
        ['identify', 'nobody'],
      ],
    };
    const { options, errors } = pageOptions();
    let global: WizKlaviyoGlobal | undefined;
    expect(() => (global = install(target, options))).not.toThrow();
    expect(global?.loaded).toBe(true);
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    expect(klaviyo.metrics()).toEqual(['Searched Site']);
    // Each of the 8 entries that is not [known method, ...args] is reported as such; the bad arguments by their own code.
    const expected = [...Array(8).fill('invalid_call'), 'invalid_event_name', 'invalid_identity', 'invalid_properties'];
    await vi.waitFor(() => expect(errors.map((e) => e.error.code).sort()).toEqual(expected));
  });

  it('runs calls pushed after it loaded', async () => {
    const target: { wizKlaviyo?: unknown } = { wizKlaviyo: [] };
    const global = install(target, pageOptions().options);
    expect(target.wizKlaviyo).toBe(global);
    await global.push(['track', 'Searched Site', { SearchTerm: 'wool' }]);
    await vi.waitFor(() => expect(klaviyo.metrics()).toEqual(['Searched Site']));
  });

  it('reuses the first install when the script runs again for the same tenant', () => {
    const target: { wizKlaviyo?: unknown } = {};
    const first = install(target, pageOptions().options);
    const again = pageOptions();
    const second = installGlobal(target, again.options, bundledParts);
    expect(second).toBe(first);
    expect(again.opened).toEqual([]);
  });

  it('adds an instance when the script runs again for another tenant', () => {
    const target: { wizKlaviyo?: unknown } = {};
    const first = install(target, pageOptions().options);
    const other = pageOptions({ siteKey: 'XyZ789', tenant: 'other' });
    expect(installGlobal(target, other.options, bundledParts)).toBe(first);
    expect(other.opened).toEqual(['wiz-klaviyo:other:queue', 'wiz-klaviyo:other:dead', 'wiz-klaviyo:other:meta']);
  });

  it('createInstance makes a second tenant with its own key, queue and identity', async () => {
    const target: { wizKlaviyo?: unknown } = {};
    const global = install(target, pageOptions({ guestEvents: 'hold' }).options);
    const other = global.createInstance(pageOptions({ siteKey: 'XyZ789', tenant: 'other' }).options);
    made.push(other);
    await other.identify({ email: 'ada@example.com' });
    await global.track('Viewed Product', { ProductName: 'A' });
    await other.track('Viewed Product', { ProductName: 'B' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    const [request] = klaviyo.events();
    expect(request.url.searchParams.get('company_id')).toBe('XyZ789');
    expect(request.body.data.attributes.properties).toEqual({ ProductName: 'B' });
    expect(await global.status()).toMatchObject({ tenant: 'AbC123', identified: false, held: 1 });
    expect(await other.status()).toMatchObject({ tenant: 'other', identified: true, held: 0 });
  });

  it('installs nothing that stores or sends when the tenant is switched off', async () => {
    const target = {
      wizKlaviyo: [
        ['track', 'Viewed Product', { ProductName: 'A' }],
        ['identify', { email: 'ada@example.com' }],
      ],
    };
    const { options, opened } = pageOptions({ enabled: false });
    const global = install(target, options);
    expect(await global.track('Searched Site', { SearchTerm: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'tenant_disabled' },
    });
    await global.flush();
    expect(opened).toEqual([]);
    expect(await databaseNames()).toEqual([]);
    expect(await global.status()).toMatchObject({ enabled: false, queued: 0, storage: 'none' });
    expect(klaviyo.received).toEqual([]);
  });
});

describe('auto-tracking and consent', () => {
  it('starts watching the page when an opted-out shopper opts in', async () => {
    const first = install({}, pageOptions().options);
    await first.setConsent(false);
    first.destroy();
    const button = document.createElement('button');
    button.setAttribute('data-wk-add-to-cart', '{"id":"p1","name":"Linen Shirt","price":49}');
    document.body.replaceChildren(button);

    const global = install({}, pageOptions().options);
    expect(await global.status()).toMatchObject({ consent: 'denied' });
    button.click();
    await global.setConsent(true);
    expect((await global.status()).queued).toBe(0); // nothing was watched while opted out
    button.click();
    await vi.waitFor(() => expect(klaviyo.metrics()).toContain('Added to Cart'));
    document.body.replaceChildren();
  });
});

describe('optionsFromScript', () => {
  function script(attributes: Record<string, string>): HTMLScriptElement {
    const element = document.createElement('script');
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  }

  it('reads every documented data attribute and the nonce', () => {
    const options = optionsFromScript(
      script({
        'data-site-key': 'AbC123',
        'data-tenant': 'acme-eu',
        'data-enabled': 'false',
        'data-debug': '',
        'data-endpoint': 'https://shop.example/klaviyo',
        'data-onsite-host': 'https://cdn.shop.example',
        'data-guest-events': 'send',
        nonce: 'r4nd0m',
      }),
    );
    expect(options).toMatchObject({
      siteKey: 'AbC123',
      tenant: 'acme-eu',
      enabled: false,
      debug: true,
      endpoint: 'https://shop.example/klaviyo',
      onsiteHost: 'https://cdn.shop.example',
      guestEvents: 'send',
      nonce: 'r4nd0m',
    });
  });

  it('leaves what the tag does not say to the defaults', () => {
    const options = optionsFromScript(script({ 'data-site-key': 'AbC123' }));
    expect(options.siteKey).toBe('AbC123');
    for (const key of ['tenant', 'enabled', 'debug', 'endpoint', 'onsiteHost', 'guestEvents', 'nonce'] as const) {
      expect(options[key], key).toBeUndefined();
    }
  });

  it("reads data-guest-events='hold' as the default hold", () => {
    expect(
      optionsFromScript(script({ 'data-site-key': 'AbC123', 'data-guest-events': 'hold' })).guestEvents,
    ).toBeUndefined();
  });

  it('reads data-enabled="true" as enabled', () => {
    expect(optionsFromScript(script({ 'data-site-key': 'AbC123', 'data-enabled': 'true' })).enabled).toBe(true);
  });

  it('gives an empty site key, refused later, when there is no script', () => {
    expect(optionsFromScript(null).siteKey).toBe('');
  });

  it('from a tag with data-enabled="false" makes a global that stores and sends nothing', async () => {
    const fromTag = optionsFromScript(script({ 'data-site-key': 'AbC123', 'data-enabled': 'false' }));
    const target = { wizKlaviyo: [['track', 'Viewed Product', { ProductName: 'A' }]] };
    const global = install(target, fromTag);
    await global.track('Viewed Product', {});
    await global.identify({ email: 'ada@example.com' });
    expect(await databaseNames()).toEqual([]);
    expect((await global.status()).enabled).toBe(false);
    expect(klaviyo.received).toEqual([]);
  });
});
