import type { KeyValueStore } from './storage.js';

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
 */
export function createConsent(meta: KeyValueStore, initial: 'granted' | 'pending', gpcOptOut: boolean): Consent {
  let state: ConsentState = gpcOptOut ? 'denied' : initial;
  const ready = meta.get<ConsentState>('consent').then(
    (stored) => {
      if (stored === 'granted' || stored === 'denied') state = stored;
    },
    () => undefined,
  );
  return {
    ready,
    state: () => state,
    async set(granted) {
      state = granted ? 'granted' : 'denied';
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
