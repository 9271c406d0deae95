import type { KeyValueStore } from './storage.js';
import { readItem, writeItem } from './web-storage.js';

/** granted: collect and send. pending: collect, send nothing, load no klaviyo.js. denied: collect nothing. */
export type ConsentState = 'granted' | 'pending' | 'denied';

export interface Consent {
  /** Resolves once a decision stored by an earlier page is known. Never rejects. */
  ready: Promise<void>;
  state(): ConsentState;
  /** Records the shopper's choice for this tenant; later pages start from it. */
  set(granted: boolean): Promise<void>;
}

/**
 * The consent gate. The tenant's default applies until the shopper decides; a Global Privacy Control signal counts as
 * an opt-out until an explicit setConsent(true). A stored decision wins over both.
 *
 * The decision is kept in IndexedDB (`meta`) and mirrored in localStorage under `sharedKey`, which every tab of the
 * store reads synchronously on each ask: once setConsent(false) has resolved in one tab, no other tab collects or
 * sends, without waiting for a message to reach it.
 */
export function createConsent(
  meta: KeyValueStore,
  initial: 'granted' | 'pending',
  gpcOptOut: boolean,
  shared: { storage: Storage | undefined; key: string },
): Consent {
  let state: ConsentState = gpcOptOut ? 'denied' : initial;
  const decided = (value: unknown): value is 'granted' | 'denied' => value === 'granted' || value === 'denied';
  const ready = meta.get<ConsentState>('consent').then(
    (stored) => {
      if (decided(stored)) state = stored;
    },
    () => undefined,
  );
  return {
    ready,
    state() {
      const latest = readItem(shared.storage, shared.key);
      return decided(latest) ? latest : state;
    },
    async set(granted) {
      state = granted ? 'granted' : 'denied';
      writeItem(shared.storage, shared.key, state); // the other tabs see it from this moment
      await meta.set('consent', state);
    },
  };
}

/** navigator.globalPrivacyControl: the browser-wide "do not sell or share" signal. */
export function globalPrivacyControl(): boolean {
  return (
    typeof navigator !== 'undefined' && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true
  );
}
