import type { RejectedIdentifier } from '../delivery/rejected-identifier.js';
import type { Identity } from '../identity.js';
import type { KeyValueStore } from '../storage.js';

const KEY = 'rejected-identifiers';
const MAX_REMEMBERED = 20;

/**
 * The identifier values Klaviyo refused for this buyer, kept with the buyer: later identify() calls leave them out (a
 * theme that identifies on every page would otherwise bring the refused phone back each time).
 */
export interface RefusedIdentifiers {
  /** Resolves once the stored list is read. Never rejects. */
  ready: Promise<void>;
  /** Klaviyo refused these values: the buyer drops them and they are remembered. */
  forget(values: RejectedIdentifier[]): Promise<void>;
  /** Whether Klaviyo refused this value before. */
  has(field: RejectedIdentifier['field'], value: string): boolean;
  /** The buyer is forgotten: the refused values are the buyer's data too, and go with them. */
  clear(): Promise<void>;
}

export function refusedIdentifiers(meta: KeyValueStore, identity: Identity): RefusedIdentifiers {
  let refused: RejectedIdentifier[] = [];
  const ready = meta.get<RejectedIdentifier[]>(KEY).then(
    (stored) => void (refused = stored ?? []),
    () => undefined,
  );
  return {
    ready,
    async forget(values) {
      await ready;
      const next = identity.profile();
      for (const { field, value } of values) if (next[field] === value) delete next[field];
      refused = [...values, ...refused].slice(0, MAX_REMEMBERED);
      await identity.save(next);
      await meta.set(KEY, refused);
    },
    has: (field, value) => refused.some((r) => r.field === field && r.value === value),
    async clear() {
      refused = [];
      await meta.delMany([KEY]);
    },
  };
}
