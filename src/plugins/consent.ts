import { createConsent, globalPrivacyControl } from '../consent.js';
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
    const decision = createConsent(ctx.meta, options.consent, options.respectGpc && globalPrivacyControl());
    ctx.waitFor(decision.ready);
    ctx.services.consentState = decision.state;
    ctx.restrict({
      refusal: () =>
        decision.state() === 'denied' ? new WizKlaviyoError('consent_denied', { by: 'shopper' }) : undefined,
      maySend: () => decision.state() === 'granted',
    });

    async function setConsent(granted: boolean): Promise<void> {
      await ctx.ready;
      await decision.set(granted === true);
      if (decision.state() === 'granted') return ctx.gateChanged();
      // Withdrawn: nothing collected so far may leave the browser, and the buyer is forgotten.
      await ctx.forget();
      ctx.report.debug('consent withdrawn: queue, dead letters and buyer deleted');
    }

    return { setConsent: (granted) => ctx.safely(() => setConsent(granted), undefined) };
  },
};
