import { WizKlaviyoError, readInput } from './errors.js';
import type { ProfileAttributes } from './events/body.js';
import { sanitizeProperties, typeName } from './events/validate.js';

/** What a storefront knows about the buyer, in its own (camelCase) names. */
export interface BuyerInput {
  email?: string;
  /** Any common notation; normalised to E.164 (+4915112345678). A number without a country code is refused. */
  phone?: string;
  firstName?: string;
  lastName?: string;
  /** The shop's own customer id. */
  externalId?: string;
  /** Custom profile properties. */
  properties?: Record<string, unknown>;
}

export interface ReadBuyer {
  /** The valid part, in Klaviyo's attribute names. */
  attributes: ProfileAttributes;
  /** One error per field that was refused; the other fields still apply. */
  problems: WizKlaviyoError[];
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Validates each field on its own, so a bad phone does not lose a good email. */
export function readBuyer(input: unknown): ReadBuyer {
  const problems: WizKlaviyoError[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return {
      attributes: {},
      problems: [new WizKlaviyoError('invalid_identity', { rule: 'object', got: typeName(input) })],
    };
  }
  const o = input as Record<string, unknown>;
  const attributes: ProfileAttributes = {};
  // A throwing getter or Proxy trap refuses that field only.
  const read = (key: string): unknown => {
    const field = readInput(() => o[key], 'invalid_identity', { field: key });
    if (field.ok) return field.value;
    problems.push(field.error);
    return undefined;
  };
  const text = (key: string, max = 255) => {
    const value = read(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      problems.push(new WizKlaviyoError('invalid_identity', { field: key, rule: 'text', got: typeName(value) }));
      return undefined;
    }
    return String(value).trim().slice(0, max) || undefined;
  };

  const email = text('email');
  if (email !== undefined) {
    if (EMAIL.test(email)) attributes.email = email.toLowerCase();
    else problems.push(new WizKlaviyoError('invalid_email', { field: 'email' }));
  }
  const phone = text('phone');
  if (phone !== undefined) {
    const normalised = normalisePhone(phone);
    if (normalised) attributes.phone_number = normalised;
    else problems.push(new WizKlaviyoError('invalid_phone', { field: 'phone' }));
  }
  const externalId = text('externalId');
  if (externalId !== undefined) attributes.external_id = externalId;
  const firstName = text('firstName');
  if (firstName !== undefined) attributes.first_name = firstName;
  const lastName = text('lastName');
  if (lastName !== undefined) attributes.last_name = lastName;
  const properties = read('properties');
  if (properties !== undefined) {
    const read = readInput(() => sanitizeProperties(properties).value, 'invalid_properties', { field: 'properties' });
    if (read.ok) attributes.properties = read.value;
    else problems.push(read.error);
  }
  return { attributes, problems };
}

/** "+49 (151) 123-456 78" and "0049151…" become "+4915112345678"; anything that is not E.164 then is refused. */
export function normalisePhone(raw: string): string | undefined {
  let phone = raw.replace(/[\s().\-/]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  return E164.test(phone) ? phone : undefined;
}
