import type { Delivery } from './delivery/delivery.js';
import { WizKlaviyoError, readInput, toWizError } from './errors.js';
import type { EventPayload, ProfileAttributes } from './events/body.js';
import { resolveAwaitDetail, resolveEventOptions, type TrackOptions } from './events/event-options.js';
import { sanitizeProperties, validateEventName } from './events/validate.js';
import type { Services } from './core/context.js';
import type { Identity } from './identity.js';
import { hasOwn, type ResolvedOptions } from './options.js';
import type { Platform } from './platform.js';
import type { Reporter } from './report.js';

/** What track() and the helpers resolve with; they never reject. */
export type TrackResult = { ok: true; uniqueId: string } | { ok: false; error: WizKlaviyoError };

export interface Tracker {
  /** Validates, stamps and stores one event; the path every event takes. Never throws. */
  /**
   * `as`: the buyer the event belongs to, fixed when it was asked for (identify's Logged In), so that a reset() right
   * after cannot turn it into the next guest's. Omitted: the buyer known when it is stored.
   */
  record(name: unknown, properties?: unknown, options?: TrackOptions, as?: ProfileAttributes): Promise<TrackResult>;
  /**
   * Adds properties to an event recorded earlier and still waiting in this browser (see TrackOptions.awaitDetailMs);
   * false when it has gone already or was never stored. Never throws.
   */
  amend(uniqueId: unknown, properties: unknown): Promise<boolean>;
  /** Reports a refusal (once) and returns it as a result. */
  refuse(error: WizKlaviyoError, event?: { name?: string; uniqueId?: string }): TrackResult;
}

export interface TrackerDeps {
  options: ResolvedOptions;
  identity: Identity;
  delivery: Delivery;
  platform: Platform;
  reporter: Reporter;
  /** Resolves once what was stored by earlier pages (buyer, consent) is known. */
  ready: Promise<unknown>;
  /** Resolves once the events an earlier page rescued on its way out are back in the queue, so amend() finds them. */
  recovered: Promise<unknown>;
  /** Why nothing may be collected right now (tenant off, consent denied), or undefined. */
  refusal(): WizKlaviyoError | undefined;
  services: Pick<Services, 'holdsGuestEvent'>;
}

export function createTracker({
  options,
  identity,
  delivery,
  platform,
  reporter,
  ready,
  recovered,
  refusal,
  services,
}: TrackerDeps): Tracker {
  function refuse(error: WizKlaviyoError, event?: { name?: string; uniqueId?: string }): TrackResult {
    reporter.error(error, event);
    return { ok: false, error };
  }

  /**
   * Each refusal returns at once, reported once; the catch is for storage only. Input is read with readInput, so a
   * throwing getter or Proxy is refused as the caller's input, not taken for a storage failure.
   */
  async function record(
    name: unknown,
    properties?: unknown,
    trackOptions?: TrackOptions,
    as?: ProfileAttributes,
  ): Promise<TrackResult> {
    let event: { name?: string; uniqueId?: string } | undefined;
    try {
      await ready;
      const refused = refusal();
      if (refused) return refuse(refused);
      const given = readInput(() => validateEventName(name), 'invalid_event_name');
      if (!given.ok) return refuse(given.error);
      const metric = hasOwn(options.eventNames, given.value) ? options.eventNames[given.value] : given.value;
      event = { name: metric };
      const resolved = readInput(
        () => resolveEventOptions(trackOptions, (platform.clock.wall ?? platform.clock.now)(), platform.uuid),
        'invalid_event_option',
      );
      if (!resolved.ok) return refuse(resolved.error, event);
      event.uniqueId = resolved.value.uniqueId;
      const awaitDetailMs = readInput(() => resolveAwaitDetail(trackOptions), 'invalid_event_option');
      if (!awaitDetailMs.ok) return refuse(awaitDetailMs.error, event);
      const value = sanitized(properties, metric, event);
      if (!value.ok) return refuse(value.error, event);
      const payload: EventPayload = {
        kind: 'event',
        metric,
        properties: value.value,
        profile: as ?? identity.profile(),
        ...resolved.value,
      };
      const held = as === undefined && services.holdsGuestEvent(given.value);
      await delivery.enqueue(payload, { held, awaitDetailMs: awaitDetailMs.value });
      reporter.debug(held ? 'held' : 'queued', { metric, uniqueId: resolved.value.uniqueId });
      reporter.tracked({
        metric,
        uniqueId: payload.uniqueId,
        time: resolved.value.time,
        properties: payload.properties,
        held,
      });
      return { ok: true, uniqueId: resolved.value.uniqueId };
    } catch (error) {
      return refuse(toWizError(error, 'storage_failed', { step: 'track' }), event);
    }
  }

  async function amend(uniqueId: unknown, properties: unknown): Promise<boolean> {
    const event = { uniqueId: String(uniqueId) };
    try {
      await recovered;
      if (refusal() || typeof uniqueId !== 'string') return false;
      const value = sanitized(properties, undefined, event);
      if (!value.ok) {
        refuse(value.error, event);
        return false;
      }
      return await delivery.amend(uniqueId, value.value);
    } catch (error) {
      refuse(toWizError(error, 'storage_failed', { step: 'amend' }), event);
      return false;
    }
  }

  /** The properties as Klaviyo takes them; repairs are reported here, a refusal is returned to the caller. */
  function sanitized(properties: unknown, metric: string | undefined, event: { name?: string; uniqueId?: string }) {
    const read = readInput(() => sanitizeProperties(properties), 'invalid_properties', { field: 'properties' });
    if (!read.ok) return read;
    const { value, repairs } = read.value;
    if (repairs.length > 0) {
      reporter.error(new WizKlaviyoError('event_repaired', metric ? { metric, repairs } : { repairs }), event);
    }
    return { ok: true as const, value };
  }

  return { record, amend, refuse };
}
