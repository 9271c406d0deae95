import type { Delivery } from './delivery/delivery';
import { WizKlaviyoError, toWizError } from './errors';
import type { EventPayload } from './events/body';
import { resolveAwaitDetail, resolveEventOptions, type TrackOptions } from './events/event-options';
import { sanitizeProperties, validateEventName } from './events/validate';
import type { Services } from './core/context';
import type { Identity } from './identity';
import { hasOwn, type ResolvedOptions } from './options';
import type { Platform } from './platform';
import type { Reporter } from './report';

/** What track() and the helpers resolve with; they never reject. */
export type TrackResult = { ok: true; uniqueId: string } | { ok: false; error: WizKlaviyoError };

export interface Tracker {
  /** Validates, stamps and stores one event; the path every event takes. Never throws. */
  record(name: unknown, properties?: unknown, options?: TrackOptions): Promise<TrackResult>;
  /**
   * Adds properties to an event recorded earlier and still waiting in this browser (see TrackOptions.awaitDetailMs);
   * false when it has gone already or was never stored. Never throws.
   */
  amend(uniqueId: unknown, properties: unknown): Promise<boolean>;
  /** Reports a refusal and wraps it as a result. */
  refuse(error: unknown, event?: { name?: string; uniqueId?: string }): TrackResult;
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
  function refuse(error: unknown, event?: { name?: string; uniqueId?: string }): TrackResult {
    const wrapped = toWizError(error, 'storage_failed', 'The event could not be stored');
    reporter.error(wrapped, event);
    return { ok: false, error: wrapped };
  }

  async function record(name: unknown, properties?: unknown, trackOptions?: TrackOptions): Promise<TrackResult> {
    let event: { name?: string; uniqueId?: string } | undefined;
    try {
      await ready;
      const refused = refusal();
      if (refused) throw refused;
      const given = validateEventName(name);
      const metric = hasOwn(options.eventNames, given) ? options.eventNames[given] : given;
      event = { name: metric };
      const resolved = readInput(
        () => resolveEventOptions(trackOptions, platform.clock.now(), platform.uuid),
        'invalid_event_option',
      );
      event.uniqueId = resolved.uniqueId;
      const awaitDetailMs = readInput(() => resolveAwaitDetail(trackOptions), 'invalid_event_option');
      const value = sanitized(properties, metric, event);
      const payload: EventPayload = {
        kind: 'event',
        metric,
        properties: value,
        profile: identity.profile(),
        ...resolved,
      };
      const held = services.holdsGuestEvent(given);
      await delivery.enqueue(payload, { held, awaitDetailMs });
      reporter.debug(`${held ? 'held (guest)' : 'queued'} "${metric}"`, { uniqueId: resolved.uniqueId });
      return { ok: true, uniqueId: resolved.uniqueId };
    } catch (error) {
      return refuse(error, event);
    }
  }

  async function amend(uniqueId: unknown, properties: unknown): Promise<boolean> {
    const event = { uniqueId: String(uniqueId) };
    try {
      await recovered;
      if (refusal() || typeof uniqueId !== 'string') return false;
      return await delivery.amend(uniqueId, sanitized(properties, 'amended event', event));
    } catch (error) {
      refuse(error, event);
      return false;
    }
  }

  /** The properties as Klaviyo takes them; repairs are reported, unreadable input refused. */
  function sanitized(properties: unknown, what: string, event: { name?: string; uniqueId?: string }) {
    const { value, repairs } = readInput(() => sanitizeProperties(properties), 'invalid_properties');
    if (repairs.length > 0) {
      reporter.error(
        new WizKlaviyoError('event_repaired', `"${what}" was repaired: ${repairs.join('; ')}.`, { repairs }),
        event,
      );
    }
    return value;
  }

  return { record, amend, refuse };
}

/** Input that throws while being read (a getter, a Proxy trap) is the caller's input problem, not a storage failure. */
function readInput<T>(read: () => T, code: 'invalid_properties' | 'invalid_event_option'): T {
  try {
    return read();
  } catch (error) {
    throw toWizError(error, code, 'The input could not be read');
  }
}
