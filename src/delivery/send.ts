import type { Payload } from '../events/body.js';
import type { SendOutcome } from './retry-policy.js';

export interface Transport {
  /** Posts one serialised body; never throws, a failed request is an outcome too. */
  send(kind: Payload['kind'], body: string, keepalive: boolean): Promise<SendOutcome>;
}

export interface TransportOptions {
  endpoint: string;
  siteKey: string;
  revision: string;
  fetch: typeof fetch;
}

/** POSTs to Klaviyo's client API: /client/events and /client/profiles, keyed by the public site key. */
export function createTransport({ endpoint, siteKey, revision, fetch }: TransportOptions): Transport {
  const urls = {
    event: `${endpoint}/client/events?company_id=${encodeURIComponent(siteKey)}`,
    profile: `${endpoint}/client/profiles?company_id=${encodeURIComponent(siteKey)}`,
  };

  async function send(kind: Payload['kind'], body: string, keepalive: boolean): Promise<SendOutcome> {
    let response: Response;
    try {
      response = await fetch(urls[kind], {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.api+json', revision },
        body,
        keepalive,
        credentials: 'omit',
        mode: 'cors',
      });
    } catch (error) {
      return { kind: 'network', message: error instanceof Error ? error.message : String(error) };
    }
    const retryAfter = response.headers.get('Retry-After');
    if (response.ok) return { kind: 'response', status: response.status, retryAfter };
    return { kind: 'response', status: response.status, retryAfter, ...(await readError(response)) };
  }

  return { send };
}

/** Klaviyo answers errors as JSON:API `{ errors: [{ detail, source: { pointer } }] }`: a line for a human, the pointers for us. */
async function readError(response: Response): Promise<{ detail: string; pointers: string[] }> {
  const status = `HTTP ${response.status}`;
  let text = '';
  try {
    text = await response.text();
    const parsed = JSON.parse(text) as { errors?: Array<{ detail?: string; source?: { pointer?: string } }> };
    const errors = Array.isArray(parsed?.errors) ? parsed.errors : [];
    const pointers = errors.map((e) => e?.source?.pointer).filter((p): p is string => typeof p === 'string');
    const lines = errors.map((e) => [e?.detail, e?.source?.pointer].filter(Boolean).join(' at '));
    if (lines.length > 0) return { detail: `${status}: ${lines.join('; ')}`, pointers };
  } catch {
    // not JSON, or the body could not be read: fall through to the raw text
  }
  return { detail: `${status}${text ? `: ${text.slice(0, 500)}` : ''}`, pointers: [] };
}
