import type { GateCheck } from './core/context.js';
import { readCookie } from './cookies.js';
import { WizKlaviyoError } from './errors.js';

/**
 * The one answer to "may we collect / send now?", asked synchronously by everything that stores or sends: the tenant
 * flag (and disable()), what plugins add (the shopper's consent), and Klaviyo's own opt-out cookie.
 */
export interface Gate {
  /** Why nothing may be collected now, or undefined. */
  refusal(): WizKlaviyoError | undefined;
  /** Whether events may leave the browser and klaviyo.js may load. */
  maySend(): boolean;
  /** Klaviyo's `__kla_off` cookie is set. */
  klaviyoOptOut(): boolean;
  /** Adds a reason to refuse (see CoreContext.restrict). */
  restrict(check: GateCheck): void;
}

export interface GateInputs {
  enabled(): boolean;
  document: Pick<Document, 'cookie'> | undefined;
}

export function createGate({ enabled, document }: GateInputs): Gate {
  const checks: GateCheck[] = [];
  /**
   * Consent tools switch Klaviyo tracking off with `document.cookie = "__kla_off=true"` (Klaviyo Help Center, "About
   * cookies in Klaviyo": https://help.klaviyo.com/hc/en-us/articles/360034666712). Read on every ask: a consent tool
   * may set or clear it at any time, and reading one cookie costs microseconds.
   */
  const klaviyoOptOut = () => {
    const value = readCookie(document, '__kla_off');
    return value !== undefined && value !== 'false';
  };
  return {
    refusal() {
      if (!enabled()) return new WizKlaviyoError('tenant_disabled', { by: 'call' });
      for (const check of checks) {
        const refused = check.refusal();
        if (refused) return refused;
      }
      if (klaviyoOptOut()) {
        return new WizKlaviyoError('consent_denied', { by: 'cookie', cookie: '__kla_off' });
      }
      return undefined;
    },
    maySend: () => enabled() && checks.every((check) => check.maySend()) && !klaviyoOptOut(),
    klaviyoOptOut,
    restrict: (check) => void checks.push(check),
  };
}
