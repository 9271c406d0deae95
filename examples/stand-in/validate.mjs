// Validates request bodies the way Klaviyo's client API does: first against the JSON Schemas converted from
// Klaviyo's OpenAPI spec (revision 2026-07-15), then the rules Klaviyo documents in prose but the schemas omit.
// Shared by the stand-in server and by tests (vitest, msw handlers), so one definition of "valid" exists.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS; depending on the loader the class sits on the default export or is it.
const Ajv = AjvModule.default ?? AjvModule;
const addFormats = formatsModule.default ?? formatsModule;

export const IDENTIFIERS = ['email', 'phone_number', 'external_id', 'anonymous_id', '_kx'];
export const LIMITS = { metricNameLength: 128, properties: 400, earliest: Date.UTC(1990, 0, 1) };

function loadSchema(name) {
  // A path, not a URL: test DOMs (happy-dom) replace the global URL and resolve file: URLs wrongly.
  return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'schemas', name), 'utf8'));
}

// The schemas use type unions (["string","null"]); allowUnionTypes keeps Ajv strict mode happy with them.
const ajv = new Ajv({ allowUnionTypes: true, allErrors: true });
addFormats(ajv); // `date-time` (RFC 3339: an offset is required)
const checkEventSchema = ajv.compile(loadSchema('client-event-create.schema.json'));
const checkProfileSchema = ajv.compile(loadSchema('client-profile-create.schema.json'));

/**
 * @param {unknown} body parsed JSON of POST /client/events
 * @param {{ now?: number }} [options] `now` (ms) fixes the clock for the "1 year in the future" rule
 * @returns {{ ok: true } | { ok: false, errors: Array<{ detail: string, pointer: string }> }}
 */
export function validateEventBody(body, { now = Date.now() } = {}) {
  if (!checkEventSchema(body)) return fail(schemaErrors(checkEventSchema.errors));
  const base = '/data/attributes';
  const attributes = body.data.attributes;
  const errors = [];

  const name = attributes.metric.data.attributes.name;
  if (name.length >= LIMITS.metricNameLength) {
    errors.push({
      detail: `Metric name must be less than ${LIMITS.metricNameLength} characters; got ${name.length}.`,
      pointer: `${base}/metric/data/attributes/name`,
    });
  }

  const propertyCount = Object.keys(attributes.properties).length;
  if (propertyCount > LIMITS.properties) {
    errors.push({
      detail: `Properties must not exceed ${LIMITS.properties} properties; got ${propertyCount}.`,
      pointer: `${base}/properties`,
    });
  }

  if (attributes.time != null) errors.push(...timeErrors(attributes.time, now, `${base}/time`));
  errors.push(...identifierErrors(attributes.profile.data.attributes, `${base}/profile/data/attributes`));
  return errors.length ? fail(errors) : { ok: true };
}

/**
 * @param {unknown} body parsed JSON of POST /client/profiles
 * @returns {{ ok: true } | { ok: false, errors: Array<{ detail: string, pointer: string }> }}
 */
export function validateProfileBody(body) {
  if (!checkProfileSchema(body)) return fail(schemaErrors(checkProfileSchema.errors));
  const errors = identifierErrors(body.data.attributes, '/data/attributes');
  return errors.length ? fail(errors) : { ok: true };
}

/**
 * Klaviyo checks a phone number beyond its E.164 shape (a number that is no real line is refused) and answers 400
 * with a JSON:API error whose source.pointer names the field. `refusedPhones` are the numbers to play that for.
 * @param {'event' | 'profile'} kind
 * @param {unknown} body a body that passed validateEventBody / validateProfileBody
 * @param {Set<string>} refusedPhones
 * @returns {{ ok: true } | { ok: false, errors: Array<{ detail: string, pointer: string }> }}
 */
export function checkPhoneNumber(kind, body, refusedPhones) {
  const base = kind === 'event' ? '/data/attributes/profile/data/attributes' : '/data/attributes';
  const attributes = kind === 'event' ? body.data.attributes.profile.data.attributes : body.data.attributes;
  if (!refusedPhones.has(attributes.phone_number)) return { ok: true };
  return fail([
    {
      detail: 'Invalid phone number format (Example of a valid format: +12345678901)',
      pointer: `${base}/phone_number`,
    },
  ]);
}

/** The first identifier Klaviyo would match a profile on, as `field:value`; undefined when there is none. */
export function profileIdentity(attributes) {
  const order = ['email', 'phone_number', 'external_id', '_kx', 'anonymous_id'];
  const field = order.find((key) => isPresent(attributes?.[key]));
  return field ? `${field}:${attributes[field]}` : undefined;
}

function identifierErrors(attributes, pointer) {
  if (IDENTIFIERS.some((key) => isPresent(attributes[key]))) return [];
  return [{ detail: `A profile needs at least one of ${IDENTIFIERS.join(', ')}.`, pointer }];
}

function timeErrors(time, now, pointer) {
  const at = Date.parse(time);
  if (at <= LIMITS.earliest) return [{ detail: 'Time must be after the year 1990.', pointer }];
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + 1);
  if (at > limit.getTime()) return [{ detail: 'Time can only be up to 1 year in the future.', pointer }];
  return [];
}

// Empty strings identify nobody, so they do not count as an identifier.
function isPresent(value) {
  return typeof value === 'string' && value.trim() !== '';
}

// Ajv reports the object that lacks a property; Klaviyo points at the missing property itself.
function schemaErrors(ajvErrors) {
  return (ajvErrors ?? []).map((error) => {
    if (error.keyword === 'required') {
      const pointer = `${error.instancePath}/${error.params.missingProperty}`;
      return { detail: `'${error.params.missingProperty}' is a required property`, pointer };
    }
    const pointer = error.instancePath || '/';
    return { detail: `${pointer} ${error.message}`, pointer };
  });
}

function fail(errors) {
  return { ok: false, errors };
}
