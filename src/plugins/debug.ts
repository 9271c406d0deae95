import type { Plugin } from '../core/context.js';
import type { Describable } from '../errors.js';
import { LIMITS, type RepairCode } from '../events/validate.js';
import { hasOwn } from '../options.js';

/**
 * Every sentence the SDK says, by code, or by code and variant (`details.rule`, `step`, `by` or `option`, the first
 * given). `{name}` is filled from the details; `{reason.code}` from a nested one; a list is joined.
 */
const SENTENCES: Record<string, string> = {
  private_key_refused:
    'Option "{option}" holds what looks like a private Klaviyo key. Only the public site key may be used in a browser; nothing will be sent.',
  invalid_site_key: 'siteKey must be a Klaviyo public site key of 6 letters or digits; got {got}.',
  'invalid_option.object': 'Options must be an object with at least a siteKey.',
  'invalid_option.tenant': 'tenant must be 1–64 letters, digits, ".", "_" or "-".',
  'invalid_option.positive': '{path} must be a positive number.',
  'invalid_option.whole': '{path} must be a whole number.',
  'invalid_option.kind': '{path} has a value of the wrong kind.',
  'invalid_option.url': 'endpoint "{got}" is not a URL or a path.',
  'invalid_option.http': 'endpoint must be an http(s) URL.',
  'invalid_option.base': 'endpoint must be a base URL without a query or fragment.',
  'invalid_option.credentials': 'endpoint must not carry a user name or password (fetch refuses such URLs).',
  'invalid_option.revision': 'revision must look like "2026-07-15".',
  'invalid_option.unknown': 'Unknown {within} option "{option}".',
  'invalid_option.unreadable': 'Options could not be read',
  'invalid_event_name.text': 'Event name must be a non-empty string; got {got}.',
  'invalid_event_name.length': 'Event name must be under {max} characters; got {length}.',
  'invalid_properties.plain': 'Event properties must be a plain object; got {got}.',
  'invalid_properties.size': "Event properties exceed Klaviyo's 5 MB payload limit.",
  'invalid_properties.object': '{field} must be an object; got {got}.',
  'invalid_properties.text': '{field} must be a non-empty string; got {got}.',
  'invalid_properties.required': '{field} is required.',
  'invalid_properties.priced': '{field} is required when a line has no price.',
  'invalid_properties.positive': '{field} must be a positive number.',
  'invalid_properties.lines': '{field} must be an object with a lines array.',
  'invalid_properties.one_line': '{field} must hold at least one line.',
  'invalid_properties.unreadable': 'The {field} could not be read',
  'invalid_event_option.options': 'track() options must be an object; got {got}.',
  'invalid_event_option.uniqueId': 'uniqueId must be a non-empty string of at most 255 characters.',
  'invalid_event_option.time': 'time must be a date after 1990 and at most a year ahead.',
  'invalid_event_option.value': 'value must be a finite number.',
  'invalid_event_option.valueCurrency': 'valueCurrency must be an ISO 4217 code such as "EUR".',
  'invalid_event_option.awaitDetailMs': 'awaitDetailMs must be a number of ms from 0 to {max}.',
  'invalid_event_option.unreadable': 'track() options could not be read',
  event_repaired: '"{metric}" was repaired: {repairs}.',
  'invalid_identity.object': 'identify() needs an object; got {got}.',
  'invalid_identity.empty': 'identify() needs at least an email, phone or externalId.',
  'invalid_identity.text': '{field} must be a string; got {got}.',
  'invalid_identity.unreadable': '{field} could not be read',
  invalid_email: 'email is not a valid address; ignored.',
  invalid_phone: 'phone must be in international form (+ and country code); ignored.',
  'identifier_rejected.before': 'Klaviyo refused this {field} before; ignored.',
  'identifier_rejected.klaviyo':
    "Klaviyo refused the buyer's {fields}; {resent} queued events and profile updates are sent without it.",
  hold_expired: '{count} guest events dropped: nobody identified within the hold time.',
  onsite_blocked: 'klaviyo.js could not be loaded (blocked or offline).',
  'invalid_markup.json': '[{attribute}] does not hold valid JSON.',
  'invalid_markup.product': '[{attribute}] needs a product with an id and a name.',
  'invalid_markup.json_ld': 'A JSON-LD block does not hold valid JSON.',
  'invalid_markup.unreadable': 'The page could not be read',
  invalid_call: 'Ignored a queued call: expected [method, ...args] with a known method; got {got}.',
  feature_unavailable:
    'The script tag could not load wiz-klaviyo.features.js (blocked or offline): {call} did nothing; tracking goes on.',
  'tenant_disabled.option': 'This tenant is switched off.',
  'tenant_disabled.call': 'Tracking is disabled for this tenant.',
  'consent_denied.shopper': 'The shopper did not consent to tracking.',
  'consent_denied.cookie': "Klaviyo's {cookie} cookie is set: Klaviyo tracking is off.",
  'storage_failed.track': 'The event could not be stored',
  'storage_failed.amend': 'The event could not be amended',
  'storage_failed.identify': 'The buyer could not be stored',
  'storage_failed.send': 'The send queue could not be read or updated',
  'storage_failed.open': 'IndexedDB failed; this page keeps its queue in memory',
  storage_failed: 'Storage could not be read',
  send_failed: '{record} not delivered ({detail}); retry in {delayMs} ms.',
  rate_limited: '{record} not delivered ({detail}); retry in {delayMs} ms.',
  dead_lettered: '{record} moved to dead letters: {reason.code} ({reason.detail})',
  queue_overflow: '{record} moved to dead letters: {reason.code} ({reason.detail})',
  dead_letter_overflow: '{count} oldest dead letters dropped to stay under the cap.',
  // What the SDK does, in debug mode (src/report.ts TraceCode).
  queued: 'queued "{metric}" ({uniqueId})',
  held: 'held (guest) "{metric}" ({uniqueId})',
  delivered: 'delivered {record}',
  tenant_off: 'tenant flag is off: nothing is collected or sent',
  identified: 'identified ({reason}); {released} held events released',
  consent_withdrawn: 'consent withdrawn: queue, dead letters and buyer deleted',
  hook_threw: 'onError hook threw',
};

/** What each repair code (src/events/validate.ts `RepairCode`) did, after the path it names. */
const REPAIRS: Record<RepairCode, string> = {
  too_many_properties: `more than ${LIMITS.properties} properties, the first ${LIMITS.properties} kept`,
  not_finite: 'NaN or Infinity is not valid JSON, sent as null',
  bigint: 'BigInt sent as a string',
  function: 'function dropped',
  symbol: 'symbol dropped',
  invalid_date: 'invalid Date sent as null',
  map: 'Map sent as an object',
  set: 'Set sent as an array',
  cycle: 'circular reference dropped',
  too_deep: `nested deeper than ${LIMITS.depth} levels, dropped`,
  to_json_threw: 'toJSON() threw, own fields used instead',
  truncated: 'string longer than 100 KB, truncated',
  too_many_items: `more than ${LIMITS.arrayItems} items, the first ${LIMITS.arrayItems} kept`,
  forbidden_key: 'key not allowed, dropped',
  getter_threw: 'getter threw, dropped',
  not_web_url: 'not an http(s) URL, dropped',
  time_refused: 'Klaviyo refused it (is the page clock wrong?); sent without it',
};

/** `properties.fn: function` → `properties.fn: function dropped`; a line it does not know stays as it is. */
const repairSentence = (repair: string) =>
  repair.replace(/: (\w+)$/, (line, code: string) =>
    hasOwn(REPAIRS, code) ? `: ${REPAIRS[code as RepairCode]}` : line,
  );

/** The English sentence for an error, with the cause of a wrapped one: `The event could not be stored (Error: …)`. */
export function describeError(error: Describable): string {
  const d = error.details;
  const variant = d.rule ?? d.step ?? d.by ?? d.option;
  const template = SENTENCES[`${error.code}.${variant}`] ?? SENTENCES[error.code];
  if (template === undefined) return error.code;
  const values: Record<string, unknown> = {
    metric: 'amended event',
    ...d,
    repairs: Array.isArray(d.repairs) ? d.repairs.map((repair) => repairSentence(String(repair))) : d.repairs,
    record: d.metric === undefined ? 'profile update' : `"${d.metric}" (${d.uniqueId})`,
    path: d.within ? `${d.within}.${d.option}` : d.option,
  };
  const sentence = template.replace(/\{(\w+)(?:\.(\w+))?\}/g, (_, key: string, inner?: string) => {
    let value = values[key];
    if (inner) value = (value as Record<string, unknown> | undefined)?.[inner];
    return Array.isArray(value) ? value.join(key === 'repairs' ? '; ' : ' and ') : String(value);
  });
  return d.cause === undefined ? sentence : `${sentence} (${d.cause})`;
}

/**
 * Debug output: the English sentence for every error, in the console (debug mode), `status().lastError.message` and
 * onError's `error.message`. Without it those carry the code and a summary of the details, so production builds do
 * not ship the sentences. `createWizKlaviyo` from `wiz-klaviyo` and the script tag add it with `debug: true` /
 * `data-debug`; with `wiz-klaviyo/core`, pass it yourself, e.g. only in development.
 */
export const debugOutput: Plugin = {
  name: 'debug',
  setup: () => ({}),
  inert: () => ({}),
  describe: describeError,
};
