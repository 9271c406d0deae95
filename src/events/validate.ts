import { WizKlaviyoError } from '../errors.js';

/** Klaviyo's documented limits for one event (Create Client Event in Klaviyo's API reference; README "Error codes"). */
export const LIMITS = {
  nameLength: 128,
  properties: 300,
  stringBytes: 100 * 1024,
  depth: 10,
  arrayItems: 4000,
  payloadBytes: 5 * 1024 * 1024,
} as const;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What was changed to make a value valid, by code: `properties.price: not_finite`. The debug plugin says each in
 * English (src/plugins/debug.ts `REPAIRS`), so production builds ship only the codes.
 */
export type RepairCode =
  | 'too_many_properties'
  | 'not_finite'
  | 'bigint'
  | 'function'
  | 'symbol'
  | 'invalid_date'
  | 'map'
  | 'set'
  | 'cycle'
  | 'too_deep'
  | 'to_json_threw'
  | 'truncated'
  | 'too_many_items'
  | 'forbidden_key'
  | 'getter_threw'
  | 'not_web_url'
  | 'time_refused';

export interface Sanitized {
  value: JsonObject;
  /** What was changed to make the properties valid, one `path: code` each; empty when nothing was. */
  repairs: string[];
}

/** Checks a metric name: a non-empty string under Klaviyo's 128-character limit. */
export function validateEventName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new WizKlaviyoError('invalid_event_name', { rule: 'text', got: typeName(name) });
  }
  const trimmed = name.trim();
  if (trimmed.length >= LIMITS.nameLength) {
    throw new WizKlaviyoError('invalid_event_name', { rule: 'length', max: LIMITS.nameLength, length: trimmed.length });
  }
  return trimmed;
}

/**
 * Turns any properties object into JSON Klaviyo accepts. Values JSON cannot carry are repaired where the intent is
 * clear (Date → ISO string, BigInt → string, NaN → null) and dropped where it is not (functions, symbols, cycles);
 * each change is listed so the caller can report it. Only a non-object is refused.
 */
export function sanitizeProperties(properties: unknown): Sanitized {
  if (properties === undefined || properties === null) return { value: {}, repairs: [] };
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    throw new WizKlaviyoError('invalid_properties', { rule: 'plain', got: typeName(properties) });
  }
  const repairs: string[] = [];
  const repaired = (path: string, code: RepairCode) => void repairs.push(`${path}: ${code}`);
  const ancestors = new Set<object>();
  // Characters of text (values and property names) copied so far: each is 1–3 UTF-8 bytes in the body, so a cheap
  // bound that decides whether the exact size must be measured.
  let textLength = 0;
  const top = serialised(properties, 'properties');
  const value = copyObject(properties, isObject(top) ? top : properties, 'properties', 1);
  const keys = Object.keys(value);
  if (keys.length > LIMITS.properties) {
    for (const key of keys.slice(LIMITS.properties)) delete value[key];
    repaired('properties', 'too_many_properties');
  }
  if (textLength * 3 > LIMITS.payloadBytes && utf8Length(JSON.stringify(value)) > LIMITS.payloadBytes) {
    // No repair keeps the intent here: Klaviyo would refuse the event (413), so refuse it now with the reason.
    throw new WizKlaviyoError('invalid_properties', { rule: 'size', maxBytes: LIMITS.payloadBytes });
  }
  return { value, repairs };

  function copy(input: unknown, path: string, depth: number): JsonValue | undefined {
    switch (typeof input) {
      case 'string':
        return copyString(input, path);
      case 'boolean':
        return input;
      case 'number':
        if (Number.isFinite(input)) return input;
        repaired(path, 'not_finite');
        return null;
      case 'bigint':
        repaired(path, 'bigint');
        return input.toString();
      case 'undefined':
        return undefined;
      case 'function':
      case 'symbol':
        repaired(path, typeof input as 'function' | 'symbol');
        return undefined;
    }
    if (input === null) return null;
    if (input instanceof Date) {
      if (!Number.isNaN(input.getTime())) return input.toISOString();
      repaired(path, 'invalid_date');
      return null;
    }
    // JSON would turn these into {}: send what they hold.
    if (input instanceof Map || input instanceof Set) {
      repaired(path, input instanceof Map ? 'map' : 'set');
      return copy(input instanceof Map ? Object.fromEntries(input) : [...input], path, depth);
    }
    const object = input as object;
    if (ancestors.has(object)) {
      repaired(path, 'cycle');
      return undefined;
    }
    if (depth >= LIMITS.depth) {
      repaired(path, 'too_deep');
      return undefined;
    }
    if (Array.isArray(object)) return copyArray(object, path, depth + 1);
    const json = serialised(object, path);
    // A URL (and the like) serialises to a string: send that, not its (empty) own fields.
    return isObject(json) ? copyObject(object, json, path, depth + 1) : copy(json, path, depth);
  }

  /** What JSON.stringify would serialise for an object: its toJSON() result, or the object itself. */
  function serialised(object: object, path: string): unknown {
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON !== 'function') return object;
    try {
      return toJSON.call(object);
    } catch {
      repaired(path, 'to_json_threw');
      return object;
    }
  }

  function copyString(input: string, path: string): string {
    const end = input.length * 3 <= LIMITS.stringBytes ? input.length : utf8Prefix(input, LIMITS.stringBytes);
    textLength += end;
    if (end === input.length) return input;
    repaired(path, 'truncated');
    return input.slice(0, end);
  }

  function copyArray(input: unknown[], path: string, depth: number): JsonValue[] {
    ancestors.add(input);
    if (input.length > LIMITS.arrayItems) {
      repaired(path, 'too_many_items');
    }
    const out: JsonValue[] = [];
    for (let i = 0; i < Math.min(input.length, LIMITS.arrayItems); i++) {
      const item = copy(input[i], `${path}[${i}]`, depth);
      out.push(item === undefined ? null : item);
    }
    ancestors.delete(input);
    return out;
  }

  /** Copies `source` (the object, or what its toJSON() gave); `input` is the object itself, for cycle checks. */
  function copyObject(input: object, source: object, path: string, depth: number): JsonObject {
    ancestors.add(input);
    const out: JsonObject = {};
    for (const key of Object.keys(source)) {
      if (FORBIDDEN_KEYS.has(key)) {
        repaired(`${path}.${key}`, 'forbidden_key');
        continue;
      }
      let raw: unknown;
      try {
        raw = (source as Record<string, unknown>)[key];
      } catch {
        repaired(`${path}.${key}`, 'getter_threw');
        continue;
      }
      if (URL_KEY.test(key) && typeof raw === 'string' && !isWebUrl(raw)) {
        repaired(`${path}.${key}`, 'not_web_url');
        continue;
      }
      const item = copy(raw, `${path}.${key}`, depth);
      textLength += key.length;
      if (item !== undefined) out[key] = item;
    }
    ancestors.delete(input);
    return out;
  }
}

/** Property names that hold a link (URL, ImageURL, ProductURL, CheckoutURL, Url…): a flow puts them in an email. */
const URL_KEY = /ur[li]$/i;

/** An http(s) URL, or a relative one; `javascript:`, `data:` and other schemes are not links a shopper should get. */
export function isWebUrl(value: string): boolean {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  return scheme === undefined || /^https?$/i.test(scheme);
}

/** Bytes of `text` in UTF-8, as the request body will carry it. */
function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Length of the longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    const pair = code >= 0xd800 && code < 0xdc00 && next >= 0xdc00 && next < 0xe000;
    // A pair is one 4-byte character; a lone surrogate is sent as U+FFFD, 3 bytes.
    const size = pair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return i;
}

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object';

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
