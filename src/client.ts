import { readBuyer, type BuyerInput } from './buyer-input';
import type { DeadLetter } from './delivery/dead-letter';
import { createDelivery } from './delivery/delivery';
import type { FlushResult } from './delivery/drain';
import { WizKlaviyoError, toWizError } from './errors';
import type { TrackOptions } from './events/event-options';
import { createCommerceHelpers, type CommerceHelpers } from './commerce';
import { createConsent, globalPrivacyControl } from './consent';
import { createIdentity } from './identity';
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
  const delivery = createDelivery(options, stores, platform, reporter);
  const ready = Promise.all([identity.ready, consent.ready]);
  // Runs once the stored state is known (after the setup below); resolves once what earlier pages left is queued.
  const recovered = ready.then(start);
  let enabled = true;
  const tracker = createTracker({ options, identity, delivery, platform, reporter, ready, recovered, refusal });
  const win = platform.window as (Window & typeof globalThis) | undefined;
  let onsite: Onsite = offlineOnsite(win);
  applyGates();

  function refusal(): WizKlaviyoError | undefined {
    if (!enabled) return new WizKlaviyoError('tenant_disabled', 'Tracking is disabled for this tenant.');
    if (consent.state() === 'denied') return new WizKlaviyoError('consent_denied', 'The shopper did not consent to tracking.');
    return undefined;
  }

  /** Sends only while the tenant is on and consent is granted; klaviyo.js loads only then too. */
  function applyGates(): void {
    const granted = consent.state() === 'granted';
    delivery.setSending(enabled && granted);
    if (enabled && granted && options.onsite && win?.document && onsite.state() === 'off') {
      onsite = loadOnsite({ siteKey: options.siteKey, host: options.onsiteHost, nonce: options.nonce, win, doc: win.document });
      void afterOnsite(onsite);
    }
  }

  const stopListening = watchPageLifecycle(platform, {
    online: () => void delivery.flush({ retryNetworkNow: true }),
    hidden: () => void delivery.flush(),
    exit: () => delivery.leavePage(),
  });

  async function start(): Promise<void> {
    applyGates(); // a decision stored by an earlier page is known now
    if (consent.state() === 'denied') return;
    const kx = readKx(win);
    if (kx) await identity.rememberKx(kx).catch(() => undefined);
    await delivery.recoverRescued().catch(() => 0);
    if (identity.isKnown()) await delivery.releaseHeld(identity.profile()).catch(() => 0);

    // Whatever earlier pages left in the queue goes out now.
    void delivery.flush();
    if (onsite.state() === 'off') void afterOnsite(onsite);
  }

  async function afterOnsite(current: Onsite): Promise<void> {
    const state = await current.settled;
    if (state === 'blocked') reporter.error(new WizKlaviyoError('onsite_blocked', 'klaviyo.js could not be loaded (blocked or offline).'));
    if (state !== 'loaded' && win?.location && consent.state() !== 'denied') await activeOnSite(win.location.href);
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
      const refused = refusal();
      if (refused) throw refused;
      const { attributes, problems } = readBuyer(buyer);
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
      const { anonymous_id: _anonymous, _kx: _exchangeId, ...onsiteFields } = known;
      onsite.call('identify', onsiteFields);
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
      if (!(error instanceof WizKlaviyoError && error.code.startsWith('invalid'))) reporter.error(wrapped);
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
    ...createCommerceHelpers(tracker, platform.clock.now, (method, ...args) => onsite.call(method, ...args)),
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
      delivery.stop();
    },
  };
}

/** `_kx` in the landing URL: Klaviyo's encrypted identity from an email click. */
function readKx(win: Window | undefined): string | undefined {
  try {
    return new URLSearchParams(win?.location?.search ?? '').get('_kx') || undefined;
  } catch {
    return undefined;
  }
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
