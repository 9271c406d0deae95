import { readBuyer, type BuyerInput, type ReadBuyer } from './buyer-input';
import type { DeadLetter } from './delivery/dead-letter';
import { createDelivery } from './delivery/delivery';
import type { FlushResult } from './delivery/drain';
import { WizKlaviyoError, toWizError } from './errors';
import type { TrackOptions } from './events/event-options';
import { createCommerceHelpers, type CommerceHelpers } from './commerce';
import { createConsent, globalPrivacyControl } from './consent';
import { createGate } from './gate';
import { createIdentity, type Buyer, type Identity } from './identity';
import type { ProfileAttributes } from './events/body';
import { klaviyoExchangeId } from './klaviyo-cookie';
import { loadOnsite, offlineOnsite, type Onsite } from './onsite';
import { normalizeOptions, type ResolvedOptions, type WizKlaviyoOptions } from './options';
import { watchPageLifecycle } from './page-lifecycle';
import { browserPlatform, type Platform } from './platform';
import { createReporter, type Reporter } from './report';
import { inertStatus, iso, type Status } from './status';
import { resilientStorage } from './resilient-storage';
import { defaultStorage } from './storage';
import { createTracker, type TrackResult } from './tracker';

export type { TrackResult } from './tracker';

/** Why identify() was called; 'login' also records a Logged In event. */
export type IdentifyReason = 'login' | 'signup' | 'checkout' | 'page';

export type IdentifyResult =
  | { ok: true; /** Held guest events now sent on this buyer's profile. */ released: number; /** Fields refused. */ problems: WizKlaviyoError[] }
  | { ok: false; error: WizKlaviyoError };

export interface DeadLetterApi {
  /** What could not be delivered, oldest first, with Klaviyo's reason. */
  list(): Promise<DeadLetter[]>;
  /** Puts letters (all, or those keys) back in the queue with a fresh retry budget; resolves with the count. */
  replay(keys?: string[]): Promise<number>;
  /** Deletes every dead letter; resolves with the count. */
  clear(): Promise<number>;
}

/** One tenant's SDK: the typed helpers (see CommerceHelpers) and the calls below. Nothing here ever throws. */
export interface WizKlaviyo extends CommerceHelpers {
  /** Queues an event; resolves once it is stored durably, or with the reason it was refused. */
  track(name: string, properties?: Record<string, unknown>, options?: TrackOptions): Promise<TrackResult>;
  /**
   * Adds properties to an event tracked earlier (in this tab or on an earlier page) that has not been sent yet, e.g.
   * one tracked with `awaitDetailMs`; it is then sent at once. Resolves false when it has gone already.
   */
  amend(uniqueId: string, properties: Record<string, unknown>): Promise<boolean>;
  /** Tells Klaviyo who the buyer is; held guest events are then sent on this profile. */
  identify(buyer: BuyerInput, options?: { reason?: IdentifyReason }): Promise<IdentifyResult>;
  /** Logout: forgets the buyer and starts a new guest. */
  reset(): Promise<void>;
  /**
   * The shopper's consent choice (from the store's consent banner). true: what waited is sent and klaviyo.js loads;
   * false: everything queued and the buyer's identifiers are deleted, and nothing more is collected.
   */
  setConsent(granted: boolean): Promise<void>;
  /** Tries to send now; network failures are retried at once, a 429 pause is still honoured. */
  flush(): Promise<FlushResult>;
  status(): Promise<Status>;
  deadLetters: DeadLetterApi;
  /** Per-tenant kill switch: stops collecting and sending at once (what is queued is kept). */
  disable(): void;
  /** Resumes after disable(). */
  enable(): void;
  /** Stops timers and listeners; the queue stays for the next page. */
  destroy(): void;
}

/** klaviyo.js sends its own Active on Site; ours stands in only when it is blocked or off, once per 30 minutes. */
const ACTIVE_ON_SITE_EVERY_MS = 30 * 60 * 1000;

/**
 * Creates one tenant's SDK instance. Never throws: refused options (a private key, a malformed site key) give an
 * instance whose calls do nothing and whose status() says why.
 */
export function createWizKlaviyo(options: WizKlaviyoOptions): WizKlaviyo {
  const platform = browserPlatform(options?.platform);
  let resolved: ResolvedOptions;
  try {
    resolved = normalizeOptions(options);
  } catch (error) {
    const refusal = toWizError(error, 'invalid_option', 'Options could not be read');
    const reporter = createReporter({ tenant: 'unknown', debug: options?.debug === true, onError: options?.onError, now: platform.clock.now });
    reporter.error(refusal);
    return inertClient(refusal, null);
  }
  const reporter = createReporter({ ...resolved, onError: options.onError, now: platform.clock.now });
  if (!resolved.enabled) {
    reporter.debug('tenant flag is off: nothing is collected or sent');
    return inertClient(new WizKlaviyoError('tenant_disabled', 'This tenant is switched off.'), resolved);
  }
  return liveClient(resolved, options, platform, reporter);
}

function liveClient(options: ResolvedOptions, raw: WizKlaviyoOptions, platform: Platform, reporter: Reporter): WizKlaviyo {
  const storage = raw.storage ? { factory: raw.storage, kind: 'custom' as const } : defaultStorage();
  const resilient = resilientStorage(storage.factory, (error) => reporter.error(error));
  const name = (store: string) => `wiz-klaviyo:${options.tenant}:${store}`;
  const stores = { queue: resilient.factory(name('queue')), deadLetters: resilient.factory(name('dead')), meta: resilient.factory(name('meta')) };
  const identity = createIdentity(stores.meta, platform.uuid);
  const consent = createConsent(stores.meta, options.consent, options.respectGpc && globalPrivacyControl());
  const win = platform.window as (Window & typeof globalThis) | undefined;
  let enabled = true;
  const gate = createGate({ enabled: () => enabled, consent: consent.state, document: win?.document });
  const delivery = createDelivery(options, stores, platform, reporter, {
    maySend: gate.maySend,
    onIdentifiersRejected: (rejected) => void identity.forgetRejected(rejected).catch(() => undefined),
  });
  const ready = Promise.all([identity.ready, consent.ready]);
  // Resolves once the stored state is known and what earlier pages left is queued (see start()).
  const recovered = start();
  const tracker = createTracker({ options, identity, delivery, platform, reporter, ready, recovered, refusal: gate.refusal });
  let onsite: Onsite = offlineOnsite(win);
  let started = false;
  let onsiteStarted = false;

  /**
   * Once the gate is open (at start, or later: consent given, enable()), what waited is sent, klaviyo.js loads, and
   * our Active on Site stands in where it cannot. Never before the stored consent decision is read (start()).
   */
  function applyGates(): void {
    if (!started || !gate.maySend()) return;
    delivery.resume();
    if (onsiteStarted) return;
    onsiteStarted = true;
    if (options.onsite && win?.document) {
      onsite = loadOnsite({ siteKey: options.siteKey, host: options.onsiteHost, nonce: options.nonce, win, doc: win.document });
    }
    void afterOnsite(onsite);
  }

  const stopListening = watchPageLifecycle(platform, {
    online: () => void delivery.flush({ retryNetworkNow: true }),
    hidden: () => void delivery.flush(),
    exit: () => delivery.leavePage(),
  });
  const stopKlaviyoForms = onKlaviyoFormSubmit(win, () => void adoptKlaviyoVisitor().catch(() => undefined));

  async function start(): Promise<void> {
    await ready; // the decision and buyer stored by an earlier page are known now
    if (!gate.refusal()) {
      // Not even the landing URL's _kx is kept without consent.
      const kx = readKx(win);
      if (kx) await identity.rememberKx(kx).catch(() => undefined);
      else await rememberCookieKx().catch(() => false);
      await delivery.recoverRescued().catch(() => 0);
      if (identity.isKnown()) await delivery.releaseHeld(identity.profile()).catch(() => 0);
    }
    started = true;
    applyGates(); // whatever earlier pages left in the queue goes out now
  }

  async function afterOnsite(current: Onsite): Promise<void> {
    const state = await current.settled;
    if (state === 'loaded') await adoptKlaviyoVisitor().catch(() => undefined);
    if (state === 'blocked') reporter.error(new WizKlaviyoError('onsite_blocked', 'klaviyo.js could not be loaded (blocked or offline).'));
    // Ours stands in for klaviyo.js's own, so only where klaviyo.js itself would have been allowed to send it.
    if (state !== 'loaded' && win?.location && gate.maySend()) await activeOnSite(win.location.href);
  }

  /**
   * A guest whom klaviyo.js's cookie names (a Klaviyo form signup, an email or SMS click) becomes that profile, as a
   * `_kx` in the landing URL does. A buyer with an email, phone or external id keeps theirs: the cookie may be
   * someone else's on a shared device. Never read while the tenant is off or consent is denied.
   */
  async function rememberCookieKx(): Promise<boolean> {
    if (gate.refusal()) return false;
    const kx = klaviyoExchangeId(win?.document);
    const { email, phone_number, external_id, _kx } = identity.profile();
    if (!kx || kx === _kx || email || phone_number || external_id) return false;
    await identity.rememberKx(kx);
    return true;
  }

  /** After start(): what the guest did so far lands on the profile the cookie names. */
  async function adoptKlaviyoVisitor(): Promise<void> {
    await ready;
    if (await rememberCookieKx()) await delivery.releaseHeld(identity.profile());
  }

  async function activeOnSite(url: string): Promise<void> {
    const now = platform.clock.now();
    const last = (await stores.meta.get<number>('active-on-site-at').catch(() => undefined)) ?? 0;
    if (now - last < ACTIVE_ON_SITE_EVERY_MS) return;
    await stores.meta.set('active-on-site-at', now).catch(() => undefined);
    await tracker.record('Active on Site', { URL: url });
  }

  async function identify(buyer: BuyerInput, identifyOptions: { reason?: IdentifyReason } = {}): Promise<IdentifyResult> {
    try {
      await ready;
      const refused = gate.refusal();
      if (refused) throw refused;
      const { attributes, problems } = withoutRefused(readBuyer(buyer), identity);
      for (const problem of problems) reporter.error(problem);
      const { properties, ...fields } = attributes;
      if (Object.keys(fields).length === 0 && !properties) {
        if (problems.length > 0) throw problems[0]; // already reported above
        const empty = new WizKlaviyoError('invalid_identity', 'identify() needs at least an email, phone or externalId.');
        reporter.error(empty);
        throw empty;
      }
      // Everything is queued before the first wait on storage: a login form that navigates at once still gets its
      // profile update and Logged In out (rescued or keepalive-sent on pagehide).
      const changed = identity.changes(attributes);
      const saved = identity.identify(attributes); // the new buyer is in memory from here on
      const known = identity.profile();
      onsite.call('identify', onsiteIdentity(known, properties));
      // The same buyer identified again (every page of a logged-in session) costs no request.
      const profileQueued = changed
        ? delivery.enqueue({ kind: 'profile', profile: { ...known, ...(properties ? { properties } : {}) } })
        : undefined;

      const reason = identifyOptions?.reason; // null from a stub call must not fail an identify that worked
      const loggedIn = reason === 'login' ? tracker.record('Logged In', {}) : undefined;
      await saved;
      await profileQueued;
      const released = identity.isKnown() ? await delivery.releaseHeld(identity.profile()) : 0;
      await loggedIn;

      reporter.debug(`identified (${reason ?? 'page'}); ${released} held events released`);
      return { ok: true, released, problems };
    } catch (error) {
      const wrapped = toWizError(error, 'storage_failed', 'The buyer could not be stored');
      const reported = error instanceof WizKlaviyoError && (error.code.startsWith('invalid') || error.code === 'identifier_rejected');
      if (!reported) reporter.error(wrapped);
      return { ok: false, error: wrapped };
    }
  }

  async function status(): Promise<Status> {
    await ready; // the stored consent decision and buyer, not the defaults
    const counters = delivery.counters();
    const [counts, letters] = await Promise.all([
      delivery.counts().catch(() => ({ queued: -1, held: -1 })),
      delivery.deadLetters.list().then((list) => list.length, () => -1),
    ]);
    const lastError = reporter.lastError();
    const pausedUntil = delivery.pausedUntil();
    return {
      ...inertStatus(options.tenant, options.endpoint, null),
      enabled,
      consent: consent.state(),
      klaviyoOptOut: gate.klaviyoOptOut(),
      storage: resilient.degraded() ? 'memory' : storage.kind,
      klaviyoJs: onsite.state(),
      klaviyoApi: delivery.reachability(),
      identified: identity.isKnown(),
      ...counts,
      expiredHolds: counters.expiredHolds,
      deadLettered: letters,
      droppedDeadLetters: counters.droppedDeadLetters,
      pausedUntil: pausedUntil > platform.clock.now() ? iso(pausedUntil) : null,
      sent: counters.sent,
      lastSuccessAt: iso(counters.lastSuccessAt),
      lastError: lastError ? { ...lastError, at: iso(lastError.at) ?? '' } : null,
    };
  }

  async function setConsent(granted: boolean): Promise<void> {
    await ready;
    await consent.set(granted === true);
    applyGates();
    if (consent.state() === 'granted') {
      void delivery.flush();
      return;
    }
    // Withdrawn: nothing collected so far may leave the browser, and the buyer is forgotten.
    await delivery.purge();
    await identity.reset();
    reporter.debug('consent withdrawn: queue, dead letters and buyer deleted');
  }

  async function safely<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      reporter.error(toWizError(error, 'storage_failed', 'Storage could not be read'));
      return fallback;
    }
  }

  return {
    track: (eventName, properties, trackOptions) => tracker.record(eventName, properties, trackOptions),
    amend: (uniqueId, properties) => tracker.amend(uniqueId, properties),
    ...createCommerceHelpers({
      tracker,
      now: platform.clock.now,
      onsite: (method, ...args) => onsite.call(method, ...args),
      identify: (buyer, identifyOptions) => identify(buyer, identifyOptions),
    }),
    identify,
    reset: () => safely(() => identity.reset(), undefined),
    setConsent: (granted) => safely(() => setConsent(granted), undefined),
    flush: () => safely(() => delivery.flush({ retryNetworkNow: true }), { sent: 0, retried: 0, deadLettered: 0 }),
    status: () => safely(status, inertStatus(options.tenant, options.endpoint, null)),
    deadLetters: {
      list: () => safely(() => delivery.deadLetters.list(), []),
      replay: (keys) => safely(() => delivery.deadLetters.replay(keys), 0),
      clear: () => safely(() => delivery.deadLetters.clear(), 0),
    },
    disable() {
      enabled = false;
      applyGates();
    },
    enable() {
      enabled = true;
      applyGates();
    },
    destroy() {
      stopListening();
      stopKlaviyoForms();
      delivery.stop();
    },
  };
}

/**
 * What klaviyo.js identify() takes: email, phone_number, first_name, last_name and custom properties as top-level keys
 * (https://developers.klaviyo.com/en/docs/javascript_api); our anonymous_id, _kx and the shop's external_id are not
 * its to cookie.
 */
function onsiteIdentity(buyer: Buyer, properties: ProfileAttributes['properties']): Record<string, unknown> {
  const { email, phone_number, first_name, last_name } = buyer;
  const fields: Record<string, unknown> = { ...properties, email, phone_number, first_name, last_name };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

/** Leaves out an email or phone Klaviyo refused before: sending it again would only fail again. */
function withoutRefused({ attributes, problems }: ReadBuyer, identity: Identity): ReadBuyer {
  const kept = { ...attributes };
  const refused: WizKlaviyoError[] = [];
  for (const field of ['email', 'phone_number'] as const) {
    const value = kept[field];
    if (value === undefined || !identity.wasRejected(field, value)) continue;
    delete kept[field];
    refused.push(new WizKlaviyoError('identifier_rejected', `Klaviyo refused this ${field} before; ignored.`, { field }));
  }
  return { attributes: kept, problems: [...problems, ...refused] };
}

/** `_kx` in the landing URL: Klaviyo's encrypted identity from an email click. */
function readKx(win: Window | undefined): string | undefined {
  try {
    return new URLSearchParams(win?.location?.search ?? '').get('_kx') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * klaviyo.js announces a Klaviyo form's signup with a `klaviyoForms` window event of type 'submit':
 * https://developers.klaviyo.com/en/docs/track_klaviyo_form_activity_using_javascript
 */
function onKlaviyoFormSubmit(win: Window | undefined, submitted: () => void): () => void {
  const listener = (event: Event) => {
    try {
      if ((event as CustomEvent<{ type?: unknown } | null>).detail?.type === 'submit') submitted();
    } catch {
      // a detail that throws when read is not a Klaviyo form's
    }
  };
  win?.addEventListener('klaviyoForms', listener);
  return () => win?.removeEventListener('klaviyoForms', listener);
}

/** An instance that keeps the storefront's calls working while doing nothing: refused options or a tenant turned off. */
function inertClient(reason: WizKlaviyoError, options: ResolvedOptions | null): WizKlaviyo {
  const refused = async (): Promise<TrackResult> => ({ ok: false, error: reason });
  const refusal = reason.code === 'tenant_disabled' ? null : { code: reason.code, message: reason.message };
  return {
    track: refused,
    amend: async () => false,
    viewedProduct: refused,
    addedToCart: refused,
    startedCheckout: refused,
    placedOrder: async () => [{ ok: false, error: reason }],
    searchedSite: refused,
    identify: async () => ({ ok: false, error: reason }),
    reset: async () => undefined,
    setConsent: async () => undefined,

    flush: async () => ({ sent: 0, retried: 0, deadLettered: 0 }),
    status: async () => inertStatus(options?.tenant ?? null, options?.endpoint ?? null, refusal),
    deadLetters: { list: async () => [], replay: async () => 0, clear: async () => 0 },
    disable() {},
    enable() {},
    destroy() {},
  };
}
