import type { ConsentState } from './consent.js';
import type { ErrorCode } from './errors.js';
import type { OnsiteState } from './onsite.js';
import type { ResolvedOptions } from './options.js';
import type { Reporter } from './report.js';

/** The answer to "why are no events landing?", from status(). */
export interface Status {
  /** The tenant this instance serves; null when the options were refused. */
  tenant: string | null;
  /** False when the tenant flag is off, disable() was called, or the options were refused. */
  enabled: boolean;
  /** Why this instance does nothing, when the options were refused (e.g. a private key). */
  refused: { code: ErrorCode; message: string } | null;
  /** Where events are posted. */
  endpoint: string | null;
  /** Where the queue lives: IndexedDB, this page's memory, a storage option, or nowhere (refused or disabled). */
  storage: 'indexeddb' | 'memory' | 'custom' | 'none';
  /** klaviyo.js: 'loaded', still 'loading', 'blocked' (failed to load, e.g. an ad blocker) or 'off'. */
  klaviyoJs: OnsiteState;
  /** True once the buyer gave an email, phone or external id (or arrived from a Klaviyo email link). */
  identified: boolean;
  /** 'pending': nothing is sent until setConsent(true); 'denied': nothing is collected. */
  consent: ConsentState;
  /**
   * Klaviyo's opt-out cookie `__kla_off` is set (by a consent tool): nothing is collected or sent and klaviyo.js is not
   * loaded, whatever `consent` says; what was stored before is kept for when it is cleared.
   */
  klaviyoOptOut: boolean;
  /** Klaviyo's API lately: 'blocked' = requests fail before any answer while online (ad blocker, firewall). */
  klaviyoApi: 'unknown' | 'reachable' | 'offline' | 'blocked';
  /** Events and profile updates waiting in storage (all tabs of this tenant), held ones included. */
  queued: number;
  /** Guest events kept until identify(); see the guestEvents option. */
  held: number;
  /** Held guest events dropped by this page because nobody identified in time. */
  expiredHolds: number;
  /** Waiting in the dead letters: see deadLetters.list(). */
  deadLettered: number;
  /** Dead letters dropped because their store was full. */
  droppedDeadLetters: number;
  /** Set while Klaviyo asked us (429) to slow down; ISO time. */
  pausedUntil: string | null;
  /** Delivered by this page since it loaded. */
  sent: number;
  lastSuccessAt: string | null;
  lastError: { code: ErrorCode; message: string; at: string } | null;
}

export function iso(ms: number | null | undefined): string | null {
  return ms ? new Date(ms).toISOString() : null;
}

/** The last error reported, with its time as ISO. */
export function lastErrorOf(report: Reporter): Status['lastError'] {
  const last = report.lastError();
  return last ? { ...last, at: new Date(last.at).toISOString() } : null;
}

/**
 * The status of an instance that does nothing: refused options or a tenant switched off. Its consent is the configured
 * one (nothing was decided: the options were refused before), not 'denied'.
 */
export function inertStatus(options: ResolvedOptions | null, refused: Status['refused'], report: Reporter): Status {
  return {
    tenant: options?.tenant ?? null,
    enabled: false,
    refused,
    endpoint: options?.endpoint ?? null,
    storage: 'none',
    consent: options?.consent ?? 'granted',
    klaviyoOptOut: false,
    klaviyoJs: 'off',
    klaviyoApi: 'unknown',
    identified: false,
    queued: 0,
    held: 0,
    expiredHolds: 0,
    deadLettered: 0,
    droppedDeadLetters: 0,
    pausedUntil: null,
    sent: 0,
    lastSuccessAt: null,
    lastError: lastErrorOf(report),
  };
}
