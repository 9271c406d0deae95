import type { RejectedIdentifier } from './delivery/rejected-identifier.js';
import type { ProfileAttributes } from './events/body.js';
import type { KeyValueStore } from './storage.js';

/** The buyer as stored per tenant: an anonymous_id always, Klaviyo identifiers once known. */
export interface Buyer extends Omit<ProfileAttributes, 'properties'> {
  anonymous_id: string;
}

const IDENTIFIERS = ['email', 'phone_number', 'external_id', '_kx'] as const;

/** Who the shopper is, per tenant, persisted so a reload or a later visit is the same shopper. */
export interface Identity {
  /** Resolves once the stored buyer is loaded (or a new anonymous_id is made). Never rejects. */
  ready: Promise<void>;
  /** The identifiers and names to attach to an event tracked now. */
  profile(): Buyer;
  /** True once Klaviyo can tell who this is: an email, phone, external id or a `_kx` from an email click. */
  isKnown(): boolean;
  /**
   * Merges what identify() learnt. A different email than the stored one is a different buyer: Klaviyo's client API
   * cannot change a profile's email, and keeping the old anonymous_id would merge two people. Returns the new buyer.
   */
  identify(attributes: ProfileAttributes): Promise<{ buyer: Buyer; newBuyer: boolean }>;
  /** Whether identify(attributes) would change anything Klaviyo knows (a theme may identify on every page). */
  changes(attributes: ProfileAttributes): boolean;
  /** Keeps the `_kx` a Klaviyo email link put in the landing URL. */
  rememberKx(kx: string): Promise<void>;
  /**
   * Klaviyo refused these values: the buyer drops them, and later identify() calls leave them out (a theme that
   * identifies on every page would otherwise bring the refused phone back each time).
   */
  forgetRejected(rejected: RejectedIdentifier[]): Promise<void>;
  /** Whether Klaviyo refused this value before. */
  wasRejected(field: RejectedIdentifier['field'], value: string): boolean;
  /** Forgets the buyer and starts a new guest. */
  reset(): Promise<void>;
  /** The buyer another tab of the store stored (a login, a logout there): this tab's events carry it from now on. */
  adopt(buyer: Buyer): void;
}

const MAX_REMEMBERED_REJECTIONS = 20;

export function createIdentity(
  meta: KeyValueStore,
  uuid: () => string,
  /** Told of every buyer stored here, for the store's other tabs. */
  saved: (buyer: Buyer) => void = () => undefined,
): Identity {
  let buyer: Buyer = { anonymous_id: uuid() };
  let rejected: RejectedIdentifier[] = [];
  let loaded = false;
  const ready = (async () => {
    try {
      const stored = await meta.get<Buyer>('buyer');
      if (stored?.anonymous_id) buyer = stored;
      else await meta.set('buyer', buyer);
      rejected = (await meta.get<RejectedIdentifier[]>('rejected-identifiers')) ?? [];
    } catch {
      // Storage failing is reported by the queue; a page-long anonymous_id still identifies this visit.
    }
    loaded = true;
  })();

  async function save(next: Buyer): Promise<void> {
    buyer = next; // in memory first: events tracked from now on carry the new identity
    saved(next);
    await meta.set('buyer', next);
  }

  return {
    ready,
    profile: () => ({ ...buyer }),
    isKnown: () => IDENTIFIERS.some((key) => buyer[key] !== undefined),
    changes(attributes) {
      const { properties, ...fields } = attributes;
      return (
        properties !== undefined || Object.entries(fields).some(([key, value]) => buyer[key as keyof Buyer] !== value)
      );
    },
    async identify(attributes) {
      const { properties: _ignored, ...fields } = attributes;
      const newBuyer = buyer.email !== undefined && fields.email !== undefined && fields.email !== buyer.email;
      const base: Buyer = newBuyer ? { anonymous_id: uuid() } : buyer;
      const next = { ...base, ...fields };
      await save(next);
      return { buyer: next, newBuyer };
    },
    rememberKx: (kx) => save({ ...buyer, _kx: kx }),
    async forgetRejected(values) {
      await ready;
      const next = { ...buyer };
      for (const { field, value } of values) if (next[field] === value) delete next[field];
      rejected = [...values, ...rejected].slice(0, MAX_REMEMBERED_REJECTIONS);
      await save(next);
      await meta.set('rejected-identifiers', rejected);
    },
    wasRejected: (field, value) => rejected.some((r) => r.field === field && r.value === value),
    // After the stored buyer is read back, or that read would bring the forgotten buyer back. Once it is, the new
    // guest is in memory at once (save() sets it before it writes), so what is tracked next is the new guest's.
    // The refused values are the buyer's data too: they go with the buyer.
    adopt(next) {
      if (next && typeof next.anonymous_id === 'string') buyer = { ...next };
    },
    reset() {
      const forget = async () => {
        rejected = [];
        await save({ anonymous_id: uuid() });
        await meta.delMany(['rejected-identifiers']);
      };
      return loaded ? forget() : ready.then(forget);
    },
  };
}
