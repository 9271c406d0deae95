import { createDelivery } from '../delivery/delivery.js';
import { createOutbox } from '../delivery/outbox.js';
import type { createSender } from '../delivery/sender.js';
import type { FlushResult } from '../delivery/drain.js';
import { WizKlaviyoError, toWizError } from '../errors.js';
import type { TrackOptions } from '../events/event-options.js';
import type { EventName, PropertiesOf } from '../events/standard-properties.js';
import { createGate } from '../gate.js';
import { createIdentity } from '../identity.js';
import { normalizeOptions, type ResolvedOptions, type WizKlaviyoOptions } from '../options.js';
import { watchPageLifecycle } from '../page-lifecycle.js';
import { browserPlatform, type Platform } from '../platform.js';
import { createReporter, warnMerchant, type Reporter } from '../report.js';
import { resilientStorage } from '../resilient-storage.js';
import { defaultStorage } from '../storage.js';
import { storageKey } from '../web-storage.js';
import { pageTabId, tabChannel } from '../tab-channel.js';
import { createTracker, type TrackResult } from '../tracker.js';
import type { RejectedIdentifier } from '../delivery/rejected-identifier.js';
import type { CoreContext, Plugin, Services } from './context.js';

/** What every instance has, whatever plugins it was given. Nothing here ever throws. */
export interface CoreApi {
  /** Queues an event; resolves once it is stored durably, or with the reason it was refused. */
  track<N extends EventName>(name: N, properties?: PropertiesOf<N>, options?: TrackOptions): Promise<TrackResult>;
  /**
   * Adds properties to an event tracked earlier (in this tab or on an earlier page) that has not been sent yet, e.g.
   * one tracked with `awaitDetailMs`; it is then sent at once. Resolves false when it has gone already.
   */
  amend(uniqueId: string, properties: Record<string, unknown>): Promise<boolean>;
  /** Tries to send now: every retry's backoff ends, a wait Klaviyo asked for (429 pause, Retry-After) stands. */
  flush(): Promise<FlushResult>;
  /** Per-tenant kill switch: stops collecting and sending at once (what is queued is kept). */
  disable(): void;
  /** Resumes after disable(). */
  enable(): void;
  /** Stops timers and listeners; the queue stays for the next page. */
  destroy(): void;
}

/** The send side's constructor (src/delivery/sender.ts), handed in so that the store side can ship without it. */
export type SenderFactory = typeof createSender;

type ApiOf<P> = P extends Plugin<infer Api> ? Api : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** The instance for these plugins: the core's calls and every plugin's. */
export type InstanceOf<P extends readonly Plugin[]> = CoreApi & Intersection<ApiOf<P[number]>>;

/**
 * One tenant's SDK: the core (options, storage, the anonymous identity, track, delivery, page lifecycle and the gate)
 * plus the given plugins. Never throws: refused options (a private key, a malformed site key) or a tenant switched
 * off give an instance whose calls do nothing, built from the same plugins' `inert` methods.
 */
export function createWithPlugins<P extends readonly Plugin[]>(
  options: WizKlaviyoOptions,
  plugins: P,
  /**
   * The sender, or its file on the way (the script tag): what is tracked meanwhile is stored and sent once it is here;
   * undefined from the promise: its code could not be loaded, and events wait in storage for a later page.
   */
  sender: SenderFactory | Promise<SenderFactory | undefined>,
  /** How the merchant wrote the options, so a refusal names what to fix: `siteKey`, or `data-site-key`. */
  given: 'options' | 'attributes' = 'options',
): InstanceOf<P> {
  const platform = browserPlatform(options?.platform);
  let resolved: ResolvedOptions | null = null;
  let refusal: WizKlaviyoError | undefined;
  try {
    resolved = normalizeOptions(options);
  } catch (error) {
    refusal = toWizError(error, 'invalid_option', { rule: 'unreadable' });
  }
  // The instance's one reporter, for refused options too; the debug plugin's sentences when it is among the plugins.
  const describe = plugins.find((plugin) => plugin.describe)?.describe;
  const reporter = createReporter({
    tenant: resolved?.tenant ?? 'unknown',
    debug: resolved ? resolved.debug : options?.debug === true,
    onError: options?.onError,
    now: platform.clock.now,
    describe,
  });
  let instance: InstanceOf<P>;
  if (!resolved) {
    const reason = refusal ?? new WizKlaviyoError('invalid_option');
    reporter.error(reason);
    warnRefused(reason, given);
    instance = inertInstance(reason, null, plugins, reporter);
  } else if (!resolved.enabled) {
    reporter.debug('tenant_off');
    instance = inertInstance(
      new WizKlaviyoError('tenant_disabled', { by: 'option', option: 'enabled' }),
      resolved,
      plugins,
      reporter,
    );
  } else {
    instance = liveInstance(resolved, options, platform, reporter, plugins, sender);
  }
  reporters.set(instance, reporter);
  return instance;
}

/**
 * A refused key must not be silent outside debug mode: one console line naming what to fix (the option, or the
 * script tag's attribute), with no key material (the details hold only where it was).
 */
function warnRefused(reason: WizKlaviyoError, given: 'options' | 'attributes'): void {
  const option = typeof reason.details.option === 'string' ? reason.details.option : 'siteKey';
  const name = given === 'attributes' ? `data-${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : option;
  warnMerchant(`${name}: ${reason.code}; nothing will be tracked.`);
}

/** The calls of an instance that does nothing, from the same definitions as the live one. */
export function inertInstance<P extends readonly Plugin[]>(
  reason: WizKlaviyoError,
  options: ResolvedOptions | null,
  plugins: P,
  reporter: Reporter,
): InstanceOf<P> {
  const core: CoreApi = {
    track: async () => ({ ok: false, error: reason }),
    amend: async () => false,
    flush: async () => ({ sent: 0, retried: 0, deadLettered: 0 }),
    disable() {},
    enable() {},
    destroy() {},
  };
  const instance = Object.assign(core, ...plugins.map((plugin) => plugin.inert(reason, options, reporter)));
  // Plugins that arrive later (the script tag's features file) add their inert methods the same way.
  inerts.set(instance, (more) =>
    Object.assign(instance, ...more.map((plugin) => plugin.inert(reason, options, reporter))),
  );
  return instance as InstanceOf<P>;
}

function liveInstance<P extends readonly Plugin[]>(
  options: ResolvedOptions,
  given: WizKlaviyoOptions,
  platform: Platform,
  reporter: Reporter,
  plugins: P,
  sender: SenderFactory | Promise<SenderFactory | undefined>,
): InstanceOf<P> {
  const storage = given.storage ? { factory: given.storage, kind: 'custom' as const } : defaultStorage();
  const resilient = resilientStorage(storage.factory, (error) => reporter.error(error));
  const store = (name: string) => resilient.factory(storageKey(options.tenant, name));
  const stores = { queue: store('queue'), deadLetters: store('dead'), meta: store('meta') };
  const { meta } = stores;
  // A login, logout or consent choice in one tab applies in the store's other open tabs at once.
  const tabs = tabChannel(options.tenant, pageTabId(platform.window, platform.uuid), platform.clock.setTimeout);
  const identity = createIdentity(meta, platform.uuid, (buyer) => tabs.post({ kind: 'buyer', buyer }));
  tabs.listen((message) => {
    // A tab that was left did not send what it queued (see drain.ts sendOnExit): this tab's sender takes it.
    if (message.kind === 'gone' && started) delivery.resume();
    if (message.kind !== 'buyer') return;
    identity.adopt(message.buyer);
    // Guest events this tab held meanwhile go to the buyer the other tab identified.
    if (identity.isKnown() && started) void delivery.releaseHeld(identity.profile()).catch(() => undefined);
  });
  const win = platform.window as (Window & typeof globalThis) | undefined;
  let enabled = true;
  const gate = createGate({ enabled: () => enabled, document: win?.document });
  const delivery = createDelivery(createOutbox(options.tenant, stores, platform));
  void Promise.resolve(sender)
    .catch(() => undefined)
    .then((make) => {
      const hooks = {
        maySend: gate.maySend,
        anotherTabOpen: tabs.othersOpen,
        onIdentifiersRejected: (rejected: RejectedIdentifier[]) => services.identifiersRejected(rejected),
      };
      delivery.attach(make?.(options, stores, platform, reporter, hooks));
      // What earlier pages and this one stored goes out now, unless the gate is still shut (or start-up not done).
      openGate();
    });
  const loading: Array<Promise<unknown>> = [identity.ready];
  const startSteps: Array<() => Promise<unknown> | void> = [() => delivery.recoverRescued()];
  const gateOpeners: Array<() => void> = [];
  const destroyers: Array<() => void> = [];
  /** What plugins keep and forget() deletes (the queue and the buyer are the core's own). */
  const forgetters: Array<() => Promise<unknown> | void> = [];
  const services: Services = {
    onsite: () => undefined,
    holdsGuestEvent: () => false,
    guestHold: false,
    identify: async () => undefined,
    consentState: () => 'granted',
    onsiteState: () => 'off',
    onsiteVisitorChanged: () => undefined,
    identifiersRejected: () => undefined,
  };
  // Resolves once every plugin's stored state is read (plugins add theirs during setup, before anyone awaits it).
  const ready = Promise.resolve().then(() => Promise.all(loading));
  let started = false;
  let lateSteps: Promise<unknown> = Promise.resolve();
  // Resolves once the stored state is known and what earlier pages left is queued (see start()).
  const recovered = start();
  const tracker = createTracker({
    options,
    delivery,
    platform,
    reporter,
    ready,
    recovered,
    refusal: gate.refusal,
    identity,
    services,
  });

  async function safely<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      reporter.error(toWizError(error, 'storage_failed', { step: 'call' }));
      return fallback;
    }
  }

  const ctx: CoreContext = {
    options,
    given,
    platform,
    report: reporter,
    gate,
    meta,
    identity,
    tracker,
    delivery,
    ready,
    waitFor: (loaded) => void loading.push(loaded.catch(() => undefined)),
    restrict: gate.restrict,
    // A plugin added after start-up (the script tag's features) has its steps run then, one after another.
    onStart: (step) => void (started ? (lateSteps = lateSteps.then(() => runStep(step))) : startSteps.push(step)),
    onGateOpen: (run) => void gateOpeners.push(run),
    gateChanged: () => openGate(),
    onDestroy: (run) => void destroyers.push(run),
    onForget: (run) => void forgetters.push(run),
    async forget(scope = {}) {
      // The tab that forgets deletes the stored queue and makes the new guest, and tells the others; a tab told of it
      // forgets only what it keeps itself (its sender already ignores what was in flight, see drain.ts).
      if (!scope.toldByOtherTab) await delivery.purge();
      for (const run of forgetters) await run();
      if (!scope.toldByOtherTab) await identity.reset();
    },
    enabled: () => enabled,
    storageKind: () => (resilient.degraded() ? 'memory' : storage.kind),
    safely,
    services,
    tabs,
    instance: () => instance,
  };

  /**
   * Once the gate is open (at start, or later: consent given, enable()), what waited is sent and the plugins that
   * wait for it (klaviyo.js) go on. Never before the stored state (a consent decision) is read.
   */
  function openGate(): void {
    if (!started || !gate.maySend()) return;
    delivery.resume();
    for (const run of gateOpeners) run();
  }
  async function start(): Promise<void> {
    await ready;
    for (const step of startSteps) await runStep(step);
    started = true;
    openGate();
  }
  /** Nothing stored by earlier pages is picked up, not even the landing URL's _kx, while collecting is refused. */
  function runStep(step: () => Promise<unknown> | void): Promise<unknown> {
    return gate.refusal()
      ? Promise.resolve()
      : Promise.resolve()
          .then(step)
          .catch(() => undefined);
  }

  const stopListening = watchPageLifecycle(platform, {
    online: () => void delivery.flush({ retryNow: true }),
    hidden: () => void delivery.flush(),
    exit() {
      delivery.leavePage();
      tabs.leave();
    },
    // A frozen tab cannot send what a page being left hands over: it stops counting as open until it resumes.
    frozen: tabs.leave,
    back: tabs.back,
  });
  const core: CoreApi = {
    track(name, properties, trackOptions) {
      // Before this page may have to leave its events to another tab, that tab is asked whether it is still there.
      tabs.check(platform.clock.now());
      return tracker.record(name, properties, trackOptions);
    },
    amend: (uniqueId, properties) => tracker.amend(uniqueId, properties),
    flush: () => safely(() => delivery.flush({ retryNow: true }), { sent: 0, retried: 0, deadLettered: 0 }),
    disable() {
      enabled = false;
    },
    enable() {
      enabled = true;
      openGate();
    },
    destroy() {
      contexts.delete(instance); // plugins arriving later are not set up on it
      stopListening();
      tabs.close();
      for (const run of destroyers) run();
      delivery.stop();
    },
  };
  const instance = Object.assign(core, ...plugins.map((plugin) => plugin.setup(ctx))) as InstanceOf<P>;
  contexts.set(instance, ctx);
  return instance;
}

/** Each live instance's context, for code that is handed only the instance (startAutotrack). */
const contexts = new WeakMap<object, CoreContext>();
/** How an inert instance takes the inert calls of plugins that arrive later. */
const inerts = new WeakMap<object, (plugins: readonly Plugin[]) => void>();
/** Each instance's one reporter, live or inert, for code that is handed only the instance (the script tag's push). */
const reporters = new WeakMap<object, Reporter>();

/** The reporter of an instance createWithPlugins made (inert ones too); undefined for a foreign object. */
export function reporterOf(instance: unknown): Reporter | undefined {
  return instance && typeof instance === 'object' ? reporters.get(instance) : undefined;
}

/**
 * Adds plugins to an instance createWithPlugins made, after it started (the script tag's features file). Their calls
 * join the instance; a live one runs their start-up steps then, an inert one takes their inert calls.
 */
export function addPlugins(instance: object, plugins: readonly Plugin[]): void {
  const ctx = contexts.get(instance);
  if (!ctx) return inerts.get(instance)?.(plugins);
  Object.assign(instance, ...plugins.map((plugin) => plugin.setup(ctx)));
  ctx.gateChanged(); // what they wait for at the gate (klaviyo.js) goes on if it is open
}

/** The context of a live instance; undefined for an inert one (refused options, tenant off) or a foreign object. */
export function contextOf(instance: unknown): CoreContext | undefined {
  return instance && typeof instance === 'object' ? contexts.get(instance) : undefined;
}
