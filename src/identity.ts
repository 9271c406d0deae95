import type { RejectedIdentifier } from './delivery/rejected-identifier.js';
import type { ProfileAttributes } from './events/body.js';
import type { KeyValueStore } from './storage.js';

/** The buyer as stored per tenant: an anonymous_id always, Klaviyo identifiers once known. */
export interface Buyer extends Omit<ProfileAttributes, 'properties'> {
  anonymous_id: string;
}

const IDENTIFIERS = ['email', 'phone_number', 'external_id', '_kx'] as const;
const REFUSED_KEY = 'rejected-identifiers';

/**
 * Who the shopper is, per tenant, persisted so a reload or a later visit is the same shopper. The core keeps the
 * anonymous guest; the identity plugin (src/plugins/identify.ts) stores what identify() and Klaviyo tell about them.
 */
export interface Identity {
  /** Resolves once the stored buyer is loaded (or a new anonymous_id is made). Never rejects. */
  ready: Promise<void>;
  /** The identifiers and names to attach to an event tracked now. */
  profile(): Buyer;
  /** True once Klaviyo can tell who this is: an email, phone, external id or a `_kx` from an email click. */
  isKnown(): boolean;
  /**
   * The identifier values Klaviyo refused for this buyer (the identity plugin leaves them out of later identify()
   * calls, src/plugins/refused-identifiers.ts). Read with the buyer, so they are known before any call is made.
   */
  refused(): RejectedIdentifier[];
  /**
   * Stores the buyer (and, when given, the refused values): in memory at once (events tracked from now on carry it),
   * then in storage; other tabs are told of the buyer.
   */
  save(next: Buyer, refused?: RejectedIdentifier[]): Promise<void>;
  /** Forgets the buyer and starts a new guest. */
  reset(): Promise<void>;
  /** The buyer another tab of the store stored (a login, a logout there): this tab's events carry it from now on. */
  adopt(buyer: Buyer): void;
}

export function createIdentity(
  meta: KeyValueStore,
  uuid: () => string,
  /** Told of every buyer stored here, for the store's other tabs. */
  saved: (buyer: Buyer) => void = () => undefined,
): Identity {
  let buyer: Buyer = { anonymous_id: uuid() };
  let refused: RejectedIdentifier[] = [];
  let loaded = false;
  const ready = (async () => {
    try {
      const stored = await meta.get<Buyer>('buyer');
      if (stored?.anonymous_id) buyer = stored;
      else await meta.set('buyer', buyer);
      refused = (await meta.get<RejectedIdentifier[]>(REFUSED_KEY)) ?? [];
    } catch {
      // Storage failing is reported by the queue; a page-long anonymous_id still identifies this visit.
    }
    loaded = true;
  })();

  async function save(next: Buyer, nextRefused?: RejectedIdentifier[]): Promise<void> {
    buyer = next; // in memory first: events tracked from now on carry the new identity
    if (nextRefused) refused = nextRefused;
    saved(next);
    await meta.set('buyer', next);
    if (nextRefused) await meta.set(REFUSED_KEY, nextRefused);
  }

  return {
    ready,
    profile: () => ({ ...buyer }),
    isKnown: () => IDENTIFIERS.some((key) => buyer[key] !== undefined),
    refused: () => refused,
    save,
    adopt(next) {
      if (next && typeof next.anonymous_id === 'string') buyer = { ...next };
    },
    // After the stored buyer is read back, or that read would bring the forgotten buyer back. Once it is, the new
    // guest is in memory at once (save() sets it before it writes), so what is tracked next is the new guest's.
    // The refused values are the buyer's data too: they go with the buyer.
    reset() {
      const forget = () => save({ anonymous_id: uuid() }, []);
      return loaded ? forget() : ready.then(forget);
    },
  };
}
