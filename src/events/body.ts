import type { JsonObject } from './validate.js';

/** Klaviyo's profile attributes, in Klaviyo's own (snake_case) names, as stored with each queued record. */
export interface ProfileAttributes {
  email?: string;
  phone_number?: string;
  external_id?: string;
  anonymous_id?: string;
  _kx?: string;
  first_name?: string;
  last_name?: string;
  properties?: JsonObject;
}

export interface EventPayload {
  kind: 'event';
  metric: string;
  properties: JsonObject;
  /**
   * ISO 8601 with offset: when the shopper did it, not when it was sent. Removed when Klaviyo refused it (a page clock
   * years off): Klaviyo then uses the time it received the event.
   */
  time?: string;
  uniqueId: string;
  value?: number;
  valueCurrency?: string;
  /** Who did it, as known when it was tracked. */
  profile: ProfileAttributes;
}

export interface ProfilePayload {
  kind: 'profile';
  profile: ProfileAttributes;
}

export type Payload = EventPayload | ProfilePayload;

/** Body of POST /client/events (schema: client-event-create, revision 2026-07-15). */
export function eventBody(payload: EventPayload, backfill = false): object {
  return {
    data: {
      type: 'event',
      attributes: {
        properties: payload.properties,
        ...(payload.time === undefined ? {} : { time: payload.time }),
        ...(payload.value === undefined ? {} : { value: payload.value }),
        ...(payload.valueCurrency === undefined ? {} : { value_currency: payload.valueCurrency }),
        unique_id: payload.uniqueId,
        ...(backfill ? { backfill: true } : {}),
        metric: { data: { type: 'metric', attributes: { name: payload.metric } } },
        profile: { data: { type: 'profile', attributes: payload.profile } },
      },
    },
  };
}

/** The JSON text sent for a payload. */
export function serialise(payload: Payload, backfill: boolean): string {
  return JSON.stringify(payload.kind === 'event' ? eventBody(payload, backfill) : profileBody(payload));
}

/** Body of POST /client/profiles (schema: client-profile-create, revision 2026-07-15). */

export function profileBody(payload: ProfilePayload): object {
  return { data: { type: 'profile', attributes: payload.profile } };
}
