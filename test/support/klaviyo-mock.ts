import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { checkPhoneNumber, validateEventBody, validateProfileBody } from '../../examples/stand-in/validate.mjs';

export interface ReceivedRequest {
  kind: 'event' | 'profile';
  url: URL;
  headers: Headers;
  body: any;
  /** What the fake Klaviyo answered: a status, or 'network' for a dropped connection. */
  answered: number | 'network';
}

/** Klaviyo's 400 for an invalid field, as its JSON:API error body: `detail` and the `source.pointer` it names. */
export function invalidInput(detail: string, pointer: string): Answer {
  return {
    status: 400,
    body: { errors: [{ status: 400, code: 'invalid', title: 'Invalid input.', detail, source: { pointer } }] },
  };
}

/** How the fake Klaviyo answers one request; undefined means 202. 'network' fails the request like a dropped connection. */
export type Answer = number | { status: number; headers?: Record<string, string>; body?: unknown } | 'network';

/**
 * Klaviyo's client API as msw handlers. Every body is validated against the JSON Schemas from shared/klaviyo;
 * an invalid one is answered 400 like Klaviyo and recorded in `invalid`, which tests assert to be empty.
 */
export function createKlaviyoMock(origin = 'https://a.klaviyo.com') {
  const received: ReceivedRequest[] = [];
  const invalid: Array<{ body: unknown; errors: unknown }> = [];
  const answers: Answer[] = [];
  let fallback: Answer = 202;
  const refusedPhones = new Set<string>();

  function answer(): Answer {
    return answers.length > 0 ? answers.shift()! : fallback;
  }

  function respond(result: Answer) {
    if (result === 'network') return HttpResponse.error();
    const { status, headers, body } =
      typeof result === 'number' ? { status: result, headers: {}, body: undefined } : result;
    if (status === 202) return new HttpResponse(null, { status, headers });
    return HttpResponse.json((body ?? { errors: [{ status, detail: `stand-in says ${status}` }] }) as object, {
      status,
      headers,
    });
  }

  const handler = (kind: 'event' | 'profile') =>
    http.post(`${origin}/client/${kind === 'event' ? 'events' : 'profiles'}`, async ({ request }) => {
      const body = await request.json();
      const entry: ReceivedRequest = { kind, url: new URL(request.url), headers: request.headers, body, answered: 400 };
      received.push(entry);
      const check = kind === 'event' ? validateEventBody(body) : validateProfileBody(body);
      if (!check.ok) {
        invalid.push({ body, errors: check.errors });
        return HttpResponse.json(klaviyoErrors(check.errors), { status: 400 });
      }
      const phone = checkPhoneNumber(kind, body, refusedPhones);
      if (!phone.ok)
        return HttpResponse.json(klaviyoErrors(phone.errors), {
          status: 400,
          headers: { 'Content-Type': 'application/vnd.api+json' },
        });
      const next = answer();
      entry.answered = typeof next === 'object' ? next.status : next;
      return respond(next);
    });

  // Klaviyo's JSON:API error body.
  const klaviyoErrors = (errors: Array<{ detail: string; pointer: string }>) => ({
    errors: errors.map((e) => ({
      id: 'e1',
      status: 400,
      code: 'invalid',
      title: 'Invalid input.',
      detail: e.detail,
      source: { pointer: e.pointer },
    })),
  });

  const server = setupServer(handler('event'), handler('profile'));
  return {
    server,
    received,
    invalid,
    /** Answers for the next requests, in order; afterwards `setFallback` applies. */
    queueAnswers: (...next: Answer[]) => answers.push(...next),
    setFallback: (next: Answer) => (fallback = next),
    /** Answers 400 for this phone number, as Klaviyo does for one that is no real line. */
    refusePhone: (phone: string) => refusedPhones.add(phone),
    /** Forgets what was received and queued, and answers 202 again: call before each test. */
    reset() {
      received.length = 0;
      invalid.length = 0;
      answers.length = 0;
      fallback = 202;
      refusedPhones.clear();
    },
    events: () => received.filter((r) => r.kind === 'event'),
    metrics: () =>
      received
        .filter((r) => r.kind === 'event')
        .map((r) => r.body.data.attributes.metric.data.attributes.name as string),
    uniqueIds: () => received.filter((r) => r.kind === 'event').map((r) => r.body.data.attributes.unique_id as string),
    /** unique_ids of the events Klaviyo accepted (202), in arrival order. */
    deliveredIds: () =>
      received
        .filter((r) => r.kind === 'event' && r.answered === 202)
        .map((r) => r.body.data.attributes.unique_id as string),
  };
}
