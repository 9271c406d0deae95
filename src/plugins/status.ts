import type { Plugin } from '../core/context.js';
import type { DeadLetterApi } from '../delivery/dead-letter.js';
import { inertStatus, iso, lastErrorOf, type Status } from '../status.js';

export type { DeadLetterApi };

export interface StatusApi {
  /** The answer to "why are no events landing?". */
  status(): Promise<Status>;
  deadLetters: DeadLetterApi;
}

/** status() and the dead letters: what support needs to answer "why are no events landing?". */
export const statusAndDeadLetters: Plugin<StatusApi> = {
  name: 'status',
  inert(reason, options, report) {
    const refused = reason.code === 'tenant_disabled' ? null : { code: reason.code, message: report.text(reason) };
    return {
      status: async () => inertStatus(options, refused, report),
      deadLetters: { list: async () => [], replay: async () => 0, clear: async () => 0 },
    };
  },
  setup(ctx) {
    const { delivery, options, platform, services, safely } = ctx;

    async function status(): Promise<Status> {
      await ctx.ready; // the stored consent decision and buyer, not the defaults
      const counters = delivery.counters();
      const [counts, letters] = await Promise.all([
        delivery.counts().catch(() => ({ queued: -1, held: -1 })),
        delivery.deadLetters.list().then(
          (list) => list.length,
          () => -1,
        ),
      ]);
      const pausedUntil = delivery.pausedUntil();
      return {
        ...inertStatus(options, null, ctx.report),
        enabled: ctx.enabled(),
        consent: services.consentState(),
        klaviyoOptOut: ctx.gate.klaviyoOptOut(),
        storage: ctx.storageKind(),
        klaviyoJs: services.onsiteState(),
        klaviyoApi: delivery.reachability(),
        identified: ctx.identity.isKnown(),
        ...counts,
        expiredHolds: counters.expiredHolds,
        deadLettered: letters,
        droppedDeadLetters: counters.droppedDeadLetters,
        pausedUntil: pausedUntil > platform.clock.now() ? iso(pausedUntil) : null,
        sent: counters.sent,
        lastSuccessAt: iso(counters.lastSuccessAt),
        lastError: lastErrorOf(ctx.report),
      };
    }

    return {
      status: () => safely(status, inertStatus(options, null, ctx.report)),
      deadLetters: {
        list: () => safely(() => delivery.deadLetters.list(), []),
        replay: (keys) => safely(() => delivery.deadLetters.replay(keys), 0),
        clear: () => safely(() => delivery.deadLetters.clear(), 0),
      },
    };
  },
};
