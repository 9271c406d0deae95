import { createDelivery, type Delivery } from './delivery/delivery';
import type { DeadLetter } from './delivery/dead-letter';
import type { FlushResult } from './delivery/drain';
import { WizKlaviyoError, toWizError } from './errors';
import type { EventPayload } from './events/body';
import { resolveEventOptions, type TrackOptions } from './events/event-options';
import { sanitizeProperties, validateEventName } from './events/validate';
import { createIdentity, type Identity } from './identity';
import { normalizeOptions, type ResolvedOptions, type WizKlaviyoOptions } from './options';
import { watchPageLifecycle } from './page-lifecycle';
import { browserPlatform, type Platform } from './platform';
import { createReporter, type Reporter } from './report';
import { iso, type Status } from './status';
import { defaultStorage } from './storage';

/** What track() and the helpers resolve with; they never reject. */
export type TrackResult = { ok: true; uniqueId: string } | { ok: false; error: WizKlaviyoError };

export interface DeadLetterApi {
  /** What could not be delivered, oldest first, with Klaviyo's reason. */
  list(): Promise<DeadLetter[]>;
  /** Puts letters (all, or those keys) back in the queue with a fresh retry budget; resolves with the count. */
  replay(keys?: string[]): Promise<number>;
  /** Deletes every dead letter; resolves with the count. */
  clear(): Promise<number>;
}

export interface WizKlaviyo {
  /** Queues an event; resolves once it is stored durably, or with the reason it was refused. */
  track(name: string, properties?: Record<string, unknown>, options?: TrackOptions): Promise<TrackResult>;
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
    createReporter({ tenant: 'unknown', debug: options?.debug === true, onError: options?.onError, now: platform.clock.now }).error(refusal);
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
  const name = (store: string) => `wiz-klaviyo:${options.tenant}:${store}`;
  const stores = { queue: storage.factory(name('queue')), deadLetters: storage.factory(name('dead')), meta: storage.factory(name('meta')) };
  const identity: Identity = createIdentity(stores.meta, platform.uuid);
  const delivery: Delivery = createDelivery(options, stores, platform, reporter);
  let enabled = true;

  const stopListening = watchPageLifecycle(platform, {
    online: () => void delivery.flush({ retryNetworkNow: true }),
    hidden: () => void delivery.flush(),
    exit: () => delivery.sendOnExit(),
  });
  // Whatever earlier pages left in the queue goes out now.
  void identity.ready.then(() => delivery.flush());

  async function track(name: string, properties?: Record<string, unknown>, trackOptions?: TrackOptions): Promise<TrackResult> {
    let event: { name?: string; uniqueId?: string } | undefined;
    try {
      if (!enabled) return refuse(new WizKlaviyoError('tenant_disabled', 'Tracking is disabled for this tenant.'));
      const metric = validateEventName(name);
      event = { name: metric };
      const resolved = resolveEventOptions(trackOptions, platform.clock.now(), platform.uuid);
      event.uniqueId = resolved.uniqueId;
      const { value, repairs } = sanitizeProperties(properties);
      if (repairs.length > 0) {
        reporter.error(new WizKlaviyoError('event_repaired', `"${metric}" was repaired: ${repairs.join('; ')}.`, { repairs }), event);
      }
      await identity.ready;
      const payload: EventPayload = { kind: 'event', metric, properties: value, profile: identity.profile(), ...resolved };
      await delivery.enqueue(payload);
      reporter.debug(`queued "${metric}"`, { uniqueId: resolved.uniqueId });
      return { ok: true, uniqueId: resolved.uniqueId };
    } catch (error) {
      return refuse(toWizError(error, 'storage_failed', 'The event could not be stored'), event);
    }
  }

  function refuse(error: WizKlaviyoError, event?: { name?: string; uniqueId?: string }): TrackResult {
    reporter.error(error, event);
    return { ok: false, error };
  }

  async function status(): Promise<Status> {
    const counters = delivery.counters();
    const [queued, letters] = await Promise.all([
      delivery.queued().catch(() => -1),
      delivery.deadLetters.list().then((list) => list.length, () => -1),
    ]);
    const lastError = reporter.lastError();
    return {
      tenant: options.tenant,
      enabled,
      refused: null,
      endpoint: options.endpoint,
      storage: storage.kind,
      queued,
      deadLettered: letters,
      droppedDeadLetters: counters.droppedDeadLetters,
      pausedUntil: delivery.pausedUntil() > platform.clock.now() ? iso(delivery.pausedUntil()) : null,
      sent: counters.sent,
      lastSuccessAt: iso(counters.lastSuccessAt),
      lastError: lastError ? { ...lastError, at: iso(lastError.at) ?? '' } : null,
    };
  }

  return {
    track,
    flush: () => safely(() => delivery.flush({ retryNetworkNow: true }), { sent: 0, retried: 0, deadLettered: 0 }),
    status: () => safely(status, emptyStatus(options, null)),
    deadLetters: {
      list: () => safely(() => delivery.deadLetters.list(), []),
      replay: (keys) => safely(() => delivery.deadLetters.replay(keys), 0),
      clear: () => safely(() => delivery.deadLetters.clear(), 0),
    },
    disable() {
      enabled = false;
      delivery.setSending(false);
    },
    enable() {
      enabled = true;
      delivery.setSending(true);
    },
    destroy() {
      stopListening();
      delivery.stop();
    },
  };

  async function safely<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      reporter.error(toWizError(error, 'storage_failed', 'Storage could not be read'));
      return fallback;
    }
  }
}

/** An instance that keeps the storefront's calls working while doing nothing: refused options or a tenant turned off. */
function inertClient(reason: WizKlaviyoError, options: ResolvedOptions | null): WizKlaviyo {
  const noFlush: FlushResult = { sent: 0, retried: 0, deadLettered: 0 };
  return {
    track: async () => ({ ok: false, error: reason }),
    flush: async () => noFlush,
    status: async () => emptyStatus(options, reason.code === 'tenant_disabled' ? null : reason),
    deadLetters: { list: async () => [], replay: async () => 0, clear: async () => 0 },
    disable() {},
    enable() {},
    destroy() {},
  };
}

function emptyStatus(options: ResolvedOptions | null, refused: WizKlaviyoError | null): Status {
  return {
    tenant: options?.tenant ?? null,
    enabled: false,
    refused: refused ? { code: refused.code, message: refused.message } : null,
    endpoint: options?.endpoint ?? null,
    storage: 'none',
    queued: 0,
    deadLettered: 0,
    droppedDeadLetters: 0,
    pausedUntil: null,
    sent: 0,
    lastSuccessAt: null,
    lastError: refused ? { code: refused.code, message: refused.message, at: '' } : null,
  };
}
