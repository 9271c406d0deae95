import { readBuyer, type BuyerInput, type ReadBuyer } from '../buyer-input.js';
import type { Plugin } from '../core/context.js';
import { WizKlaviyoError, toWizError } from '../errors.js';
import type { ProfileAttributes } from '../events/body.js';
import type { Buyer, Identity } from '../identity.js';
import { klaviyoExchangeId } from '../klaviyo-cookie.js';
import { guestHold } from './guest-hold.js';
import { forgetRefused, wasRefused } from './refused-identifiers.js';

/** Why identify() was called; 'login' also records a Logged In event. */
export type IdentifyReason = 'login' | 'signup' | 'checkout' | 'page';

export type IdentifyResult =
  | {
      ok: true;
      /** Held guest events now sent on this buyer's profile. */ released: number;
      /** Fields refused. */ problems: WizKlaviyoError[];
    }
  | { ok: false; error: WizKlaviyoError };

export interface IdentifyApi {
  /** Tells Klaviyo who the buyer is; held guest events are then sent on this profile. */
  identify(buyer: BuyerInput, options?: { reason?: IdentifyReason }): Promise<IdentifyResult>;
  /** Logout: forgets the buyer and starts a new guest. */
  reset(): Promise<void>;
}

/**
 * Who the buyer is: identify() and reset(), the guest hold (a guest's events wait for identify() and are then sent on
 * the buyer's profile with their original time), and the identities Klaviyo gives us: `_kx` in a landing URL and the
 * exchange id in klaviyo.js's `__kla_id` cookie.
 */
export const identity: Plugin<IdentifyApi> = {
  name: 'identity',
  inert: (reason) => ({ identify: async () => ({ ok: false, error: reason }), reset: async () => undefined }),
  setup(ctx) {
    const { identity: buyer, delivery, report, gate, services } = ctx;
    guestHold.setup(ctx);
    services.identifiersRejected = (values) =>
      void buyer.ready.then(() => forgetRefused(buyer, values)).catch(() => undefined);
    const rememberKx = (kx: string) => buyer.save({ ...buyer.profile(), _kx: kx });
    services.identify = (input, identifyOptions) => identify(input as BuyerInput, identifyOptions);
    services.onsiteVisitorChanged = () => void adoptKlaviyoVisitor().catch(() => undefined);

    // Klaviyo's identity for this visitor, from the landing URL or klaviyo.js's cookie: what the guest did so far
    // lands on that profile (with the script tag this step runs once its features file is here).
    ctx.onStart(async () => {
      const kx = readKx(ctx.platform.window as Window | undefined);
      const adopted = kx
        ? await rememberKx(kx).then(
            () => true,
            () => false,
          )
        : await rememberCookieKx().catch(() => false);
      if (adopted) await delivery.releaseHeld(buyer.profile());
    });
    ctx.onDestroy(onKlaviyoFormSubmit(ctx.platform.window as Window | undefined, services.onsiteVisitorChanged));

    /**
     * A guest whom klaviyo.js's cookie names (a Klaviyo form signup, an email or SMS click) becomes that profile, as a
     * `_kx` in the landing URL does. A buyer with an email, phone or external id keeps theirs: the cookie may be
     * someone else's on a shared device. Never read while collecting is refused.
     */
    async function rememberCookieKx(): Promise<boolean> {
      if (gate.refusal()) return false;
      const kx = klaviyoExchangeId((ctx.platform.window as Window | undefined)?.document);
      const { email, phone_number, external_id, _kx } = buyer.profile();
      if (!kx || kx === _kx || email || phone_number || external_id) return false;
      await rememberKx(kx);
      return true;
    }

    /** What the guest did so far lands on the profile the cookie names. */
    async function adoptKlaviyoVisitor(): Promise<void> {
      await ctx.ready;
      if (await rememberCookieKx()) await delivery.releaseHeld(buyer.profile());
    }

    async function identify(
      input: BuyerInput,
      identifyOptions: { reason?: IdentifyReason } = {},
    ): Promise<IdentifyResult> {
      // Each problem is reported once, where it is found; the catch is for storage only.
      const refuse = (error: WizKlaviyoError): IdentifyResult => {
        report.error(error);
        return { ok: false, error };
      };
      try {
        await ctx.ready;
        const refused = gate.refusal();
        if (refused) return refuse(refused);
        const { attributes, problems } = withoutRefused(readBuyer(input), buyer);
        for (const problem of problems) report.error(problem);
        const { properties, ...fields } = attributes;
        if (Object.keys(fields).length === 0 && !properties) {
          return problems.length > 0
            ? { ok: false, error: problems[0] } // reported above
            : refuse(new WizKlaviyoError('invalid_identity', { rule: 'empty' }));
        }
        // Everything is queued before the first wait on storage: a login form that navigates at once still gets its
        // profile update and Logged In out (rescued or keepalive-sent on pagehide).
        const changed = changes(buyer.profile(), attributes);
        const known = merged(buyer.profile(), attributes, ctx.platform.uuid);
        const saved = buyer.save(known); // the new buyer is in memory from here on
        services.onsite('identify', onsiteIdentity(known, properties));
        // The same buyer identified again (every page of a logged-in session) costs no request.
        const profileQueued = changed
          ? delivery.enqueue({ kind: 'profile', profile: { ...known, ...(properties ? { properties } : {}) } })
          : undefined;

        const reason = identifyOptions?.reason; // null from a stub call must not fail an identify that worked
        // On this buyer, even if reset() (a logout) runs before it is stored: identity changes apply in call order.
        const loggedIn = reason === 'login' ? ctx.tracker.record('Logged In', {}, undefined, known) : undefined;
        await saved;
        await profileQueued;
        const released = buyer.isKnown() ? await delivery.releaseHeld(buyer.profile()) : 0;
        await loggedIn;

        report.debug('identified', { reason: reason ?? 'page', released });
        return { ok: true, released, problems };
      } catch (error) {
        return refuse(toWizError(error, 'storage_failed', { step: 'identify' }));
      }
    }

    return {
      identify,
      // After the stored state is known, like identify() and track(): the three then apply in the order they were
      // called (a logout right after a login must not run first and leave the old buyer identified).
      reset: () => ctx.safely(() => ctx.ready.then(() => buyer.reset()), undefined),
    };
  },
};

/**
 * What klaviyo.js identify() takes: email, phone_number, first_name, last_name and custom properties as top-level keys
 * (https://developers.klaviyo.com/en/docs/javascript_api); our anonymous_id, _kx and the shop's external_id are not
 * its to cookie.
 */
function onsiteIdentity(buyer: Buyer, properties: ProfileAttributes['properties']): Record<string, unknown> {
  const { email, phone_number, first_name, last_name } = buyer;
  const fields: Record<string, unknown> = { ...properties, email, phone_number, first_name, last_name };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

/** Whether identifying with `attributes` would change anything Klaviyo knows (a theme may identify on every page). */
function changes(buyer: Buyer, attributes: ProfileAttributes): boolean {
  const { properties, ...fields } = attributes;
  return properties !== undefined || Object.entries(fields).some(([key, value]) => buyer[key as keyof Buyer] !== value);
}

/**
 * The buyer with what identify() learnt. A different email than the stored one is a different buyer: Klaviyo's client
 * API cannot change a profile's email, and keeping the old anonymous_id would merge two people.
 */
function merged(buyer: Buyer, attributes: ProfileAttributes, uuid: () => string): Buyer {
  const { properties: _ignored, ...fields } = attributes;
  const newBuyer = buyer.email !== undefined && fields.email !== undefined && fields.email !== buyer.email;
  return { ...(newBuyer ? { anonymous_id: uuid() } : buyer), ...fields };
}

/** Leaves out an email or phone Klaviyo refused before: sending it again would only fail again. */
function withoutRefused({ attributes, problems }: ReadBuyer, identity: Identity): ReadBuyer {
  const kept = { ...attributes };
  const refused: WizKlaviyoError[] = [];
  for (const field of ['email', 'phone_number'] as const) {
    const value = kept[field];
    if (value === undefined || !wasRefused(identity, field, value)) continue;
    delete kept[field];
    refused.push(new WizKlaviyoError('identifier_rejected', { field, by: 'before' }));
  }
  return { attributes: kept, problems: [...problems, ...refused] };
}

/** `_kx` in the landing URL: Klaviyo's encrypted identity from an email click. */
function readKx(win: Window | undefined): string | undefined {
  try {
    return new URLSearchParams(win?.location?.search ?? '').get('_kx') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * klaviyo.js announces a Klaviyo form's signup with a `klaviyoForms` window event of type 'submit':
 * https://developers.klaviyo.com/en/docs/track_klaviyo_form_activity_using_javascript
 */
function onKlaviyoFormSubmit(win: Window | undefined, submitted: () => void): () => void {
  const listener = (event: Event) => {
    try {
      if ((event as CustomEvent<{ type?: unknown } | null>).detail?.type === 'submit') submitted();
    } catch {
      // a detail that throws when read is not a Klaviyo form's
    }
  };
  win?.addEventListener('klaviyoForms', listener);
  return () => win?.removeEventListener('klaviyoForms', listener);
}
