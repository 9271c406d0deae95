import type { ResolvedOptions } from '../options.js';
import type { Platform } from '../platform.js';
import type { Reporter } from '../report.js';
import type { KeyValueStore } from '../storage.js';
import { storageKey } from '../web-storage.js';
import { createDeadLetterStore, type DeadLetterApi } from './dead-letter.js';
import { createDrainer, type DeliveryHooks, type Drainer } from './drain.js';
import { createPauseState } from './pause.js';
import { createQueue } from './queue.js';
import { createTokenBucket } from './rate-limit.js';
import { createTransport } from './send.js';
import { leaseLock, webLock } from './sender-lock.js';

/**
 * The send side of delivery: the loop that takes what the outbox stored to Klaviyo, with everything it needs (the
 * transport, token bucket, sender lock, 429 pause, retry policy, dead letters) and the reports of what it decided.
 * It hears of new records as the outbox's listener.
 */
export interface Sender extends Drainer {
  /** Until when Klaviyo asked the tenant to pause (429), as last read or written. */
  pausedUntil(): number;
  deadLetters: DeadLetterApi;
}

export function createSender(
  options: ResolvedOptions,
  stores: { queue: KeyValueStore; deadLetters: KeyValueStore; meta: KeyValueStore },
  platform: Platform,
  reporter: Reporter,
  hooks: DeliveryHooks,
): Sender {
  const { clock } = platform;
  const queue = createQueue(stores.queue);
  const deadLetters = createDeadLetterStore(stores.deadLetters, queue, options.delivery.maxDeadLetters, clock.now);
  const pause = createPauseState(stores.meta);
  const drainer = createDrainer({
    queue,
    deadLetters,
    options,
    platform,
    reporter,
    hooks,
    channel: {
      transport: createTransport({ ...options, fetch: platform.fetch }),
      limiter: createTokenBucket(options.delivery.ratePerSecond, options.delivery.burst, clock.now, {
        storage: platform.localStorage,
        key: storageKey(options.tenant, 'rate'),
      }),
      lock: platform.locks
        ? webLock(platform.locks, storageKey(options.tenant, 'sender'))
        : leaseLock(stores.meta, platform.uuid(), clock),
      pause,
    },
  });

  return {
    ...drainer,
    pausedUntil: pause.known,
    deadLetters: {
      list: deadLetters.list,
      async replay(keys) {
        const count = await deadLetters.replay(keys);
        if (count > 0) drainer.resume();
        return count;
      },
      clear: deadLetters.clear,
    },
  };
}
