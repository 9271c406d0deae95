import { createConsent, globalPrivacyControl } from '../consent.js';
import { storageKey } from '../web-storage.js';
import type { Plugin } from '../core/context.js';
import { WizKlaviyoError } from '../errors.js';

export interface ConsentApi {
  /**
   * The shopper's consent choice (from the store's consent banner). true: what waited is sent and klaviyo.js loads;
   * false: everything queued and the buyer's identifiers are deleted, and nothing more is collected.
   */
  setConsent(granted: boolean): Promise<void>;
}

/**
 * The shopper's consent as the gate's input: the tenant's default (`consent` option) until the shopper decides, a
 * Global Privacy Control signal as an opt-out (`respectGpc`), and the decision stored for later pages.
 */
export const consent: Plugin<ConsentApi> = {
  name: 'consent',
  inert: () => ({ setConsent: async () => undefined }),
  setup(ctx) {
    const { options } = ctx;
    const decision = createConsent(ctx.meta, options.consent, options.respectGpc && globalPrivacyControl(), {
      storage: ctx.platform.localStorage,
      key: storageKey(options.tenant, 'consent'),
    });
    ctx.waitFor(decision.ready);
    ctx.services.consentState = decision.state;
    ctx.restrict({
      refusal: () =>
        decision.state() === 'denied' ? new WizKlaviyoError('consent_denied', { by: 'shopper' }) : undefined,
      maySend: () => decision.state() === 'granted',
    });

    // Another tab's choice: the gate already reads it (the shared decision); what waited goes out, or what this tab
    // keeps is forgotten (that tab deleted the queue and makes the new guest).
    ctx.tabs.listen((message) => {
      if (message.kind !== 'consent') return;
      if (message.granted) ctx.gateChanged();
      else void ctx.forget({ toldByOtherTab: true }).catch(() => undefined);
    });

    async function setConsent(granted: boolean): Promise<void> {
      await ctx.ready;
      await decision.set(granted === true);
      ctx.tabs.post({ kind: 'consent', granted: granted === true });
      if (decision.state() === 'granted') return ctx.gateChanged();
      // Withdrawn: nothing collected so far may leave the browser, and the buyer is forgotten.
      await ctx.forget();
      ctx.report.debug('consent_withdrawn');
    }

    return { setConsent: (granted) => ctx.safely(() => setConsent(granted), undefined) };
  },
};
