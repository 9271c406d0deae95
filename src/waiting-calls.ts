import type { CallStash } from './call-stash.js';
import type { WizKlaviyo } from './client.js';
import { WizKlaviyoError } from './errors.js';
import type { QueuedCall } from './global.js';
import { DEAD_LETTER_CALLS, FEATURE_CALLS } from './parts/feature-api.js';
import { randomUuid } from './platform.js';
import type { Reporter } from './report.js';

/** Where a waiting track()'s time and unique_id come from: the instance's platform. */
type Stamp = { clock: { now(): number }; uuid(): string };

/**
 * The script tag's instance while its features file is on the way. Every call exists from the start: the first file
 * answers the core's at once (track() stores durably), while a call only the features file can answer (identify,
 * status, the helpers) waits, and so does every call made after it, so calls apply in the order they were made. When
 * the file has run, they are made in order; when the page is left first, they go to the stash for the next page.
 * Should the file never load (blocked, offline), waiting feature calls resolve with `feature_unavailable` and the
 * rest are made: tracking and delivery go on.
 */
export function callsInOrder(
  instance: WizKlaviyo,
  /** Resolves true once the features are part of the instance, false when their file could not be loaded. */
  arrival: Promise<boolean>,
  /** Asks for the features file now (a call that needs it was made); it is fetched anyway once the page is idle. */
  needed: () => void,
  reporter: Reporter | undefined,
  stash: CallStash | undefined,
  /** The instance's clock and ids: a waiting track() keeps the time it was called at, and gets its unique_id then. */
  stamp: Stamp = { clock: { now: Date.now }, uuid: randomUuid },
): WizKlaviyo {
  let state: 'waiting' | 'here' | 'missing' = 'waiting';
  const waiting: Array<{ call: QueuedCall; done: (result: unknown) => void }> = [];
  const isFeature = (method: string) =>
    (FEATURE_CALLS as readonly string[]).includes(method) || method.startsWith('deadLetters.');

  function make(method: string, args: unknown[]): unknown {
    try {
      if (state === 'missing' && isFeature(method)) {
        const error = new WizKlaviyoError('feature_unavailable', { call: method });
        reporter?.error(error);
        return Promise.resolve({ ok: false, error });
      }
      const [name, inner] = method.split('.');
      const owner = (inner ? instance[name as keyof WizKlaviyo] : instance) as unknown as Record<string, unknown>;
      return (owner[inner ?? name] as (...a: unknown[]) => unknown)(...args);
    } catch {
      return undefined; // the instance's calls never throw; a storefront's odd argument must not either
    }
  }

  function call(method: string, args: unknown[]): unknown {
    if (state !== 'waiting' || (waiting.length === 0 && !isFeature(method))) return make(method, args);
    needed();
    return new Promise((done) => waiting.push({ call: [method, ...stamped(method, args, stamp)], done }));
  }

  void arrival.then((arrived) => {
    state = arrived ? 'here' : 'missing';
    for (const {
      call: [method, ...args],
      done,
    } of waiting.splice(0))
      done(make(method, args));
  });
  stash?.keepOnLeave(() => waiting.map(({ call }) => call));
  for (const [method, ...args] of stash?.take() ?? []) void call(method, args);

  const calls: Record<string, unknown> = {};
  const core = Object.keys(instance).filter((key) => typeof instance[key as keyof WizKlaviyo] === 'function');
  for (const method of [...core, ...FEATURE_CALLS]) calls[method] = (...args: unknown[]) => call(method, args);
  calls.deadLetters = Object.fromEntries(
    DEAD_LETTER_CALLS.map((method) => [method, (...args: unknown[]) => call(`deadLetters.${method}`, args)]),
  );
  return calls as unknown as WizKlaviyo;
}

/**
 * A track() that waits keeps the time it was called at (it may be made on the next page), and gets its unique_id
 * now: should the page come back from the back-forward cache after another page made its stashed calls, both make
 * it under one unique_id, and Klaviyo keeps one event. The caller's own time and unique_id stand.
 */
function stamped(method: string, args: unknown[], stamp: Stamp): unknown[] {
  const options = args[2] as { time?: unknown; uniqueId?: unknown } | undefined;
  const plain = options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options));
  if (method !== 'track' || !plain) return args;
  return [
    args[0],
    args[1],
    { ...options, time: options?.time ?? stamp.clock.now(), uniqueId: options?.uniqueId ?? stamp.uuid() },
  ];
}
