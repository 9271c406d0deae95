import type { ProfileAttributes } from './events/body';
import type { KeyValueStore } from './storage';

/** Who the shopper is, per tenant; a persisted anonymous_id until the buyer identifies. */
export interface Identity {
  /** Resolves once the stored identity is loaded (or a new anonymous_id is made). */
  ready: Promise<void>;
  /** The identifiers to attach to an event tracked now. */
  profile(): ProfileAttributes;
}

export function createIdentity(meta: KeyValueStore, uuid: () => string): Identity {
  let anonymousId = uuid();
  const ready = (async () => {
    try {
      const stored = await meta.get<string>('anonymous-id');
      if (stored) anonymousId = stored;
      else await meta.set('anonymous-id', anonymousId);
    } catch {
      // Storage failing is reported by the queue; a page-long anonymous_id still identifies this visit.
    }
  })();
  return { ready, profile: () => ({ anonymous_id: anonymousId }) };
}
