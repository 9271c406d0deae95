// @vitest-environment node
import http from 'node:http';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandIn } from '../../examples/stand-in/server.mjs';
import { validateEventBody, validateProfileBody } from '../../examples/stand-in/validate.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HEADERS = { 'content-type': 'application/vnd.api+json', revision: '2026-07-15' };

type StandIn = Awaited<ReturnType<typeof startStandIn>>;
let standIn: StandIn;

beforeEach(async () => {
  standIn = await startStandIn({ staticRoutes: { '/': path.join(repo, 'examples', 'demo') } });
});

afterEach(async () => {
  await standIn.close();
});

function eventBody({
  metric = 'Viewed Product',
  uniqueId = 'u1',
  profile = { anonymous_id: 'anon-1' } as Record<string, unknown>,
} = {}) {
  return {
    data: {
      type: 'event',
      attributes: {
        properties: { a: 1 },
        time: new Date().toISOString(),
        unique_id: uniqueId,
        metric: { data: { type: 'metric', attributes: { name: metric } } },
        profile: { data: { type: 'profile', attributes: profile } },
      },
    },
  };
}

function post(route: string, body: unknown, headers: Record<string, string> = HEADERS) {
  return fetch(`${standIn.url}${route}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const postEvent = (body: unknown, headers?: Record<string, string>) =>
  post('/client/events?company_id=AbC123', body, headers);

/** A GET with the path sent exactly as written (fetch would normalise "..") */
function rawGet(pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: standIn.port, path: pathname }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('Klaviyo stand-in', () => {
  it('accepts a valid event with 202 and an empty body, and records it', async () => {
    const response = await postEvent(eventBody());
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');

    const state = standIn.state();
    expect(state.events).toHaveLength(1);
    expect(state.events[0]).toMatchObject({
      companyId: 'AbC123',
      metric: 'Viewed Product',
      uniqueId: 'u1',
      profile: { anonymous_id: 'anon-1' },
      properties: { a: 1 },
    });
    expect(state.requests).toMatchObject([{ path: '/client/events', companyId: 'AbC123', status: 202 }]);
  });

  it('exposes the recorded state over HTTP too', async () => {
    await postEvent(eventBody());
    const state = await (await fetch(`${standIn.url}/__stand-in/state`)).json();
    expect(state.events).toHaveLength(1);
    expect(state.duplicates).toBe(0);
  });

  it('rejects a body without a metric with a JSON:API error that points at it', async () => {
    const body = eventBody();
    delete (body.data.attributes as Partial<typeof body.data.attributes>).metric;
    const response = await postEvent(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/vnd.api+json');
    const { errors } = await response.json();
    expect(errors[0]).toMatchObject({ status: 400, code: 'invalid', title: 'Invalid input.' });
    expect(errors[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(errors[0].detail).toContain('metric');
    expect(errors[0].source.pointer).toBe('/data/attributes/metric');
    expect(standIn.state().events).toHaveLength(0);
  });

  it('rejects a string value with a pointer to the value', async () => {
    const body = eventBody();
    Object.assign(body.data.attributes, { value: '49.00' });
    const response = await postEvent(body);
    expect(response.status).toBe(400);
    const { errors } = await response.json();
    expect(errors[0].source.pointer).toBe('/data/attributes/value');
    expect(errors[0].detail).toBeTruthy();
  });

  it('rejects an event whose profile has no identifier', async () => {
    const response = await postEvent(eventBody({ profile: { first_name: 'Sarah' } }));
    expect(response.status).toBe(400);
    const { errors } = await response.json();
    expect(errors[0].source.pointer).toBe('/data/attributes/profile/data/attributes');
  });

  it('rejects a request whose content type is not JSON:API with 415', async () => {
    const response = await postEvent(eventBody(), { ...HEADERS, 'content-type': 'application/json' });
    expect(response.status).toBe(415);
  });

  it('rejects a request without a revision header with 400', async () => {
    const response = await postEvent(eventBody(), { 'content-type': 'application/vnd.api+json' });
    expect(response.status).toBe(400);
  });

  it('rejects a request without company_id with 400', async () => {
    const response = await post('/client/events', eventBody());
    expect(response.status).toBe(400);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const response = await postEvent('{"data":');
    expect(response.status).toBe(400);
  });

  it('counts a repeated unique_id for the same profile and metric as a duplicate and keeps one event', async () => {
    expect((await postEvent(eventBody())).status).toBe(202);
    expect((await postEvent(eventBody())).status).toBe(202);
    const state = standIn.state();
    expect(state.events).toHaveLength(1);
    expect(state.duplicates).toBe(1);
    expect(state.requests).toHaveLength(2);
  });

  it('lists each duplicate it kept out on its profile, with metric, unique_id and when it arrived', async () => {
    await postEvent(eventBody());
    await postEvent(eventBody());
    await postEvent(eventBody({ metric: 'Added to Cart', uniqueId: 'u2' }));
    await postEvent(eventBody({ metric: 'Added to Cart', uniqueId: 'u2' }));
    const state = standIn.state();
    expect(state.duplicates).toBe(2);
    expect(state.profiles).toHaveLength(1);
    const [profile] = state.profiles;
    expect(profile.duplicates.map((d) => [d.metric, d.uniqueId])).toEqual([
      ['Viewed Product', 'u1'],
      ['Added to Cart', 'u2'],
    ]);
    for (const duplicate of profile.duplicates) expect(Date.parse(duplicate.receivedAt)).not.toBeNaN();
    expect(profile.identifiedAt).toBeNull();
    standIn.reset();
    expect(standIn.state().profiles).toEqual([]);
  });

  it('records when a profile was first updated through /client/profiles', async () => {
    await postEvent(eventBody({ profile: { email: 'ada@example.com' } }));
    expect(standIn.state().profiles[0].identifiedAt).toBeNull();
    const profileBody = { data: { type: 'profile', attributes: { email: 'ada@example.com', first_name: 'Ada' } } };
    expect((await post('/client/profiles?company_id=AbC123', profileBody)).status).toBe(202);
    const first = standIn.state().profiles[0].identifiedAt;
    expect(first).not.toBeNull();
    await post('/client/profiles?company_id=AbC123', profileBody);
    expect(standIn.state().profiles[0].identifiedAt).toBe(first);
  });

  it('keeps the same unique_id for a different profile as a second event', async () => {
    await postEvent(eventBody());
    await postEvent(eventBody({ profile: { anonymous_id: 'anon-2' } }));
    const state = standIn.state();
    expect(state.events).toHaveLength(2);
    expect(state.duplicates).toBe(0);
  });

  it('upserts profiles by identity and merges their attributes', async () => {
    const profile = (attributes: Record<string, unknown>) => ({ data: { type: 'profile', attributes } });
    const url = '/client/profiles?company_id=AbC123';
    expect((await post(url, profile({ email: 'sarah@example.com', first_name: 'Sarah' }))).status).toBe(202);
    expect((await post(url, profile({ email: 'sarah@example.com', last_name: 'Mason' }))).status).toBe(202);
    const { profiles } = standIn.state();
    expect(profiles).toHaveLength(1);
    expect(profiles[0].attributes).toEqual({ email: 'sarah@example.com', first_name: 'Sarah', last_name: 'Mason' });
  });

  it('answers 500 for as many requests as the fault count, then recovers', async () => {
    standIn.setFault({ mode: '500', count: 1 });
    const failed = await postEvent(eventBody());
    expect(failed.status).toBe(500);
    expect((await failed.json()).errors[0].status).toBe(500);
    expect((await postEvent(eventBody())).status).toBe(202);
    const state = standIn.state();
    expect(state.events).toHaveLength(1);
    expect(state.requests.map((r: { status: number }) => r.status)).toEqual([500, 202]);
  });

  it('answers 429 with a Retry-After header when told to over HTTP', async () => {
    const set = await fetch(`${standIn.url}/__stand-in/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: '429', retryAfter: 7 }),
    });
    expect(set.status).toBe(200);
    const response = await postEvent(eventBody());
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect((await response.json()).errors[0].code).toBe('throttled');
    expect((await postEvent(eventBody())).status).toBe(429); // no count: stays until changed
  });

  it('drops the connection without reading and stores nothing', async () => {
    standIn.setFault({ mode: 'drop', count: 1 });
    await expect(postEvent(eventBody())).rejects.toThrow();
    const state = standIn.state();
    expect(state.events).toHaveLength(0);
    expect(state.requests).toMatchObject([{ status: 0 }]);
  });

  it('stores the event but never answers when the fault is drop-after-read', async () => {
    standIn.setFault({ mode: 'drop-after-read', count: 1 });
    await expect(postEvent(eventBody())).rejects.toThrow();
    expect(standIn.state().events).toHaveLength(1);

    // The client's retry with the same unique_id is answered and deduplicated.
    expect((await postEvent(eventBody())).status).toBe(202);
    const state = standIn.state();
    expect(state.events).toHaveLength(1);
    expect(state.duplicates).toBe(1);
    expect(state.requests.map((r: { status: number }) => r.status)).toEqual([0, 202]);
  });

  it('refuses a phone number it was told to, as Klaviyo does, with a JSON:API error pointing at the field', async () => {
    const refuse = (body: object) =>
      fetch(`${standIn.url}/__stand-in/refuse-phone`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await refuse({ phone: 'not a phone' })).status).toBe(400);
    expect((await refuse({ phone: '+15005550009' })).status).toBe(200);
    const refused = await postEvent(eventBody({ profile: { email: 'ada@example.com', phone_number: '+15005550009' } }));
    expect(refused.status).toBe(400);
    const [error] = (await refused.json()).errors;
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid',
      source: { pointer: '/data/attributes/profile/data/attributes/phone_number' },
    });
    expect(error.detail).toMatch(/phone number/i);
    const profile = await post('/client/profiles?company_id=AbC123', {
      data: { type: 'profile', attributes: { phone_number: '+15005550009' } },
    });
    expect((await profile.json()).errors[0].source.pointer).toBe('/data/attributes/phone_number');
    // Another number, and the same person without the phone, are accepted.
    expect(
      (await postEvent(eventBody({ profile: { email: 'ada@example.com', phone_number: '+15005550010' } }))).status,
    ).toBe(202);
    expect((await postEvent(eventBody({ uniqueId: 'u2', profile: { email: 'ada@example.com' } }))).status).toBe(202);
    expect(standIn.state().refusedPhones).toEqual(['+15005550009']);
    expect((await refuse({ phone: '+15005550009', refuse: false })).status).toBe(200);
    expect(standIn.state().refusedPhones).toEqual([]);
  });

  it('clears everything and the fault on reset', async () => {
    standIn.setFault({ mode: '500' });
    await postEvent(eventBody());
    const reset = await fetch(`${standIn.url}/__stand-in/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect((await postEvent(eventBody())).status).toBe(202);
    expect(standIn.state()).toMatchObject({ duplicates: 0, fault: { mode: 'ok' } });
    expect(standIn.state().requests).toHaveLength(1);
  });

  it('answers a CORS preflight with the allowed methods and headers', async () => {
    const response = await fetch(`${standIn.url}/client/events?company_id=AbC123`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, GET, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, revision');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(standIn.state().requests).toHaveLength(0);
  });

  it('serves static files with their content type and refuses path traversal', async () => {
    const page = await fetch(`${standIn.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const script = await fetch(`${standIn.url}/demo.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');

    expect(await rawGet('/../../package.json')).toBe(403);
    expect(await rawGet('/..%2f..%2fpackage.json')).toBe(403);
    expect(await rawGet('/%2e%2e/%2e%2e/package.json')).toBe(403);
    expect(await rawGet('/no-such-file.js')).toBe(404);
  });

  it('serves a fake klaviyo.js that handles what was queued on _klOnsite and later pushes, answering callbacks', async () => {
    const response = await fetch(`${standIn.url}/onsite/js/AbC123/klaviyo.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    const source = await response.text();

    const answers: unknown[] = [];
    const queue = [
      ['identify', { email: 'a@b.c' }],
      ['account', (key: unknown) => answers.push(key)],
    ];
    const window: Record<string, any> = { _klOnsite: queue };
    vm.runInNewContext(source, { window });
    window._klOnsite.push(['track', 'Viewed Product'], ['isIdentified', (known: unknown) => answers.push(known)]);
    expect(window._klOnsite).toBe(queue); // its push was replaced, as real klaviyo.js does
    expect(window.__fakeKlaviyoJs.key).toBe('AbC123');
    expect(window.__fakeKlaviyoJs.calls.map((call: unknown[]) => call[0])).toEqual([
      'identify',
      'account',
      'track',
      'isIdentified',
    ]);
    expect(answers).toEqual(['AbC123', false]); // no document here, so no cookie: not identified
    expect(typeof window.klaviyo.isIdentified).toBe('function'); // the page had none, so it brought its own
  });

  it('serves the live page and its script', async () => {
    const page = await fetch(`${standIn.url}/__stand-in/`);
    expect(await page.text()).toContain('<title>Klaviyo stand-in</title>');
    const script = await fetch(`${standIn.url}/__stand-in/live.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).not.toContain('innerHTML');
  });
});

describe('stand-in validation', () => {
  const now = Date.parse('2026-08-01T00:00:00Z');
  const withTime = (time: string) => {
    const body = eventBody();
    body.data.attributes.time = time;
    return body;
  };

  it('refuses a time before 1990 or more than a year ahead', () => {
    expect(validateEventBody(withTime('1989-12-31T00:00:00Z'), { now }).ok).toBe(false);
    expect(validateEventBody(withTime('2027-08-02T00:00:00Z'), { now }).ok).toBe(false);
    expect(validateEventBody(withTime('2027-07-31T00:00:00+02:00'), { now }).ok).toBe(true);
  });

  it('refuses a time without a timezone offset, as RFC 3339 requires', () => {
    expect(validateEventBody(withTime('2026-07-31T00:00:00'), { now }).ok).toBe(false);
  });

  it('refuses a metric name of 128 characters or more and more than 400 properties', () => {
    expect(validateEventBody(eventBody({ metric: 'x'.repeat(127) })).ok).toBe(true);
    expect(validateEventBody(eventBody({ metric: 'x'.repeat(128) })).ok).toBe(false);
    const body = eventBody();
    body.data.attributes.properties = Object.fromEntries(Array.from({ length: 401 }, (_, i) => [`p${i}`, i])) as never;
    const result = validateEventBody(body);
    expect(result).toMatchObject({ ok: false, errors: [{ pointer: '/data/attributes/properties' }] });
  });

  it('requires an identifier on a profile body', () => {
    expect(validateProfileBody({ data: { type: 'profile', attributes: { first_name: 'Sarah' } } })).toMatchObject({
      ok: false,
      errors: [{ pointer: '/data/attributes' }],
    });
    expect(validateProfileBody({ data: { type: 'profile', attributes: { _kx: 'abc' } } })).toEqual({ ok: true });
  });
});
