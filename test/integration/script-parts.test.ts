import { createStore, set } from 'idb-keyval';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inertInstance } from '../../src/core/create';
import { DOCUMENT_EVENTS, WINDOW_EVENTS } from '../../src/autotrack/early-events';
import { listenToShopper } from '../../src/autotrack/dom-listeners';
import type { AutotrackContext } from '../../src/autotrack/context';
import { WizKlaviyoError } from '../../src/errors';
import { installGlobal, type PartLoader, type WizKlaviyoGlobal } from '../../src/global';
import type { WizKlaviyoOptions } from '../../src/options';
import { DEAD_LETTER_CALLS, FEATURE_CALLS } from '../../src/parts/feature-api';
import { PARTS_KEY, registerPart, registeredPart } from '../../src/parts/registry';
import { laterFeatures } from '../../src/plugins/later';
import { createReporter, type ErrorInfo } from '../../src/report';
import { indexedDbStorage } from '../../src/storage';
import { bundledParts, testPlatform } from '../support/harness';
import { useKlaviyo } from '../support/suite';

const { klaviyo } = useKlaviyo();

let made: WizKlaviyoGlobal[] = [];
afterEach(() => {
  for (const global of made) global.destroy();
  made = [];
  localStorage.clear();
  document.body.replaceChildren();
  delete (globalThis as Record<string, unknown>)[PARTS_KEY];
});

/** A loader whose files arrive when the test says (or never, or fail); the sender comes at once unless held too. */
function controlledParts(hold: { sender?: boolean } = {}) {
  let arrive!: (ok: boolean) => void;
  const features = new Promise<boolean>((resolve) => (arrive = resolve));
  let senderArrive!: (ok: boolean) => void;
  const sender = hold.sender ? new Promise<boolean>((resolve) => (senderArrive = resolve)) : Promise.resolve(true);
  const asked: string[] = [];
  const load: PartLoader = async (name) => {
    asked.push(name);
    const ok = await (name === 'features' ? features : sender);
    return ok ? bundledParts(name) : undefined;
  };
  return { load, asked, features: arrive, sender: (ok: boolean) => senderArrive(ok) };
}

function pageOptions(errors: ErrorInfo[] = []): WizKlaviyoOptions {
  return {
    siteKey: 'AbC123',
    guestEvents: 'send', // a guest's event goes out at once: one made out of order would lack the buyer
    storage: indexedDbStorage(),
    onError: (info) => errors.push(info),
    platform: testPlatform(),
  };
}

function install(load: PartLoader, options = pageOptions(), watchPage = false): WizKlaviyoGlobal {
  const global = installGlobal({}, options, load, { watchPage });
  made.push(global);
  return global;
}

const profileOf = (request: { body: any }) => request.body.data.attributes.profile.data.attributes;
const named = (metric: string) =>
  klaviyo.events().filter((r) => r.body.data.attributes.metric.data.attributes.name === metric);

describe('the features file is named once', () => {
  it('the global offers exactly the calls the features define, before their file is here', () => {
    const reason = new WizKlaviyoError('tenant_disabled');
    const reporter = createReporter({ tenant: 't', debug: false, now: Date.now });
    const defined = inertInstance(reason, null, laterFeatures, reporter) as unknown as Record<string, unknown>;
    const core = Object.keys(inertInstance(reason, null, [], reporter));
    const featureCalls = Object.keys(defined).filter((key) => !core.includes(key));
    expect([...FEATURE_CALLS, 'deadLetters'].sort()).toEqual(featureCalls.sort());
    expect(Object.keys(defined.deadLetters as object).sort()).toEqual([...DEAD_LETTER_CALLS].sort());
  });

  it('keeps for auto-tracking every event type it listens to', () => {
    const types: string[] = [];
    const onDoc = vi.spyOn(document, 'addEventListener').mockImplementation((type) => void types.push(`d:${type}`));
    const onWin = vi.spyOn(window, 'addEventListener').mockImplementation((type) => void types.push(`w:${type}`));
    try {
      listenToShopper({ doc: document, win: window } as unknown as AutotrackContext);
    } finally {
      onDoc.mockRestore();
      onWin.mockRestore();
    }
    const kept = [...DOCUMENT_EVENTS.map((t) => `d:${t}`), ...WINDOW_EVENTS.map((t) => `w:${t}`)];
    expect(types.sort()).toEqual(kept.sort());
  });

  it('takes a later file only from the first file’s release', () => {
    registerPart('sender', (() => undefined) as never);
    expect(registeredPart('sender')).toBeTypeOf('function');
    const registry = (globalThis as any)[PARTS_KEY];
    registry.sender.version = '0.0.1-other';
    expect(registeredPart('sender')).toBeUndefined();
  });
});

describe('calls made before the features file is here', () => {
  it('stores a track() at once, and sends it once the sender is here', async () => {
    const parts = controlledParts({ sender: true });
    const global = install(parts.load);
    expect(await global.track('Viewed Product', { ProductID: 'p1' })).toMatchObject({ ok: true });
    expect(klaviyo.received).toEqual([]);
    parts.sender(true);
    await vi.waitFor(() => expect(named('Viewed Product')).toHaveLength(1));
  });

  it('applies identify() and what follows it in the order they were made, with the time each was made', async () => {
    const platform = testPlatform();
    const parts = controlledParts();
    const global = install(parts.load, { ...pageOptions(), platform });
    const calledAt = platform.clock.now();
    const identified = global.identify({ email: 'ada@example.com' }, { reason: 'login' });
    const tracked = global.track('Added to Cart', { ItemNames: ['Linen Shirt'] });
    await vi.waitFor(() => expect(parts.asked).toContain('features')); // a call that needs the file fetches it now
    platform.clock.advance(5000);
    parts.features(true);
    expect(await identified).toMatchObject({ ok: true });
    expect(await tracked).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(named('Added to Cart')).toHaveLength(1));
    const [added] = named('Added to Cart');
    // Made after identify(): the buyer's event, not a guest's held one.
    expect(profileOf(added).email).toBe('ada@example.com');
    expect(added.body.data.attributes.time).toBe(new Date(calledAt).toISOString());
    expect(named('Logged In')).toHaveLength(1);
  });

  it('leaves out of a waiting identify() a phone Klaviyo refused on an earlier page', async () => {
    const meta = createStore('wiz-klaviyo:AbC123:meta', 'records');
    await set('rejected-identifiers', [{ field: 'phone_number', value: '+15005550009' }], meta);
    // Storage as slow as a browser's: each read answers in a later task.
    const slowReads: WizKlaviyoOptions['storage'] = (name) => {
      const store = indexedDbStorage()(name);
      return { ...store, get: (key) => new Promise((wait) => setTimeout(wait, 20)).then(() => store.get(key)) };
    };
    const parts = controlledParts();
    const global = install(parts.load, { ...pageOptions(), storage: slowReads });
    const identified = global.identify({ email: 'ada@example.com', phone: '+15005550009' });
    await new Promise((started) => setTimeout(started, 100)); // the core has read what earlier pages stored
    parts.features(true); // identify() is made the moment the identity plugin joins
    const result = await identified;
    expect(result.ok && result.problems.map((problem) => problem.code)).toEqual(['identifier_rejected']);
    await vi.waitFor(() => expect(klaviyo.received.filter((r) => r.kind === 'profile')).toHaveLength(1));
    const profile = klaviyo.received.find((r) => r.kind === 'profile')!.body.data.attributes;
    expect(profile.email).toBe('ada@example.com');
    expect(profile.phone_number).toBeUndefined();
  });

  it('keeps tracking and delivering when the features file cannot be loaded', async () => {
    const errors: ErrorInfo[] = [];
    const parts = controlledParts();
    const global = install(parts.load, pageOptions(errors));
    const identified = global.identify({ email: 'ada@example.com' });
    const tracked = global.track('Viewed Product', { ProductID: 'p1' });
    parts.features(false);
    expect(await identified).toMatchObject({ ok: false, error: { code: 'feature_unavailable' } });
    expect(await tracked).toMatchObject({ ok: true });
    expect(await global.track('Viewed Product', { ProductID: 'p2' })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(named('Viewed Product')).toHaveLength(2));
    expect(errors.map((e) => e.error.code)).toContain('feature_unavailable');
  });

  it('leaves what still waits at pagehide to the next page, which makes the calls in order', async () => {
    const platform = testPlatform();
    const first = install(controlledParts().load, { ...pageOptions(), platform });
    void first.identify({ email: 'ada@example.com' });
    void first.track('Viewed Product', { ProductID: 'p1' });
    const calledAt = platform.clock.now();
    window.dispatchEvent(new Event('pagehide'));
    first.destroy();
    expect(localStorage.getItem('wiz-klaviyo:AbC123:calls')).toContain('identify');

    platform.clock.advance(60_000);
    install(bundledParts, { ...pageOptions(), platform });
    await vi.waitFor(() => expect(named('Viewed Product')).toHaveLength(1));
    const [viewed] = named('Viewed Product');
    expect(profileOf(viewed).email).toBe('ada@example.com');
    expect(viewed.body.data.attributes.time).toBe(new Date(calledAt).toISOString());
    expect(localStorage.getItem('wiz-klaviyo:AbC123:calls')).toBeNull();
  });

  it('gives a waiting track() its unique_id when called, so a page back from the back-forward cache repeats no event', async () => {
    // A store of its own: an earlier test's page, whose features never came, still keeps its calls for AbC123.
    const options = { ...pageOptions(), tenant: 'bfcache-store', platform: testPlatform() };
    const parts = controlledParts();
    const first = install(parts.load, options);
    void first.identify({ email: 'ada@example.com' });
    const tracked = first.track('Viewed Product', { ProductID: 'p1' });
    window.dispatchEvent(new Event('pagehide'));
    // The next page makes the stashed calls...
    options.platform.clock.advance(60_000);
    install(bundledParts, options);
    await vi.waitFor(() => expect(named('Viewed Product')).toHaveLength(1));
    // ...and the first page comes back from the back-forward cache and makes its own waiting calls too.
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    parts.features(true);
    const result = await tracked;
    await vi.waitFor(() => expect(named('Viewed Product')).toHaveLength(2));
    const ids = named('Viewed Product').map((request) => request.body.data.attributes.unique_id);
    expect(ids).toEqual([result.ok && result.uniqueId, result.ok && result.uniqueId]); // Klaviyo keeps one
  });

  it('hands auto-tracking the add-to-cart click made before its code was here', async () => {
    const button = document.createElement('button');
    button.setAttribute('data-wk-add-to-cart', '{"id":"p1","name":"Linen Shirt","price":49}');
    document.body.replaceChildren(button);
    const parts = controlledParts();
    install(parts.load, pageOptions(), true);
    button.click();
    parts.features(true);
    await vi.waitFor(() => expect(named('Added to Cart')).toHaveLength(1));
    expect(named('Added to Cart')[0].body.data.attributes.properties).toMatchObject({ ItemNames: ['Linen Shirt'] });
  });
});
