import type { Describable, ErrorCode, WizKlaviyoError } from './errors.js';

/**
 * What the SDK is doing, in debug mode: a code and details, like an error. The debug plugin says each in English
 * (src/plugins/debug.ts), so production builds ship the codes only.
 */
export type TraceCode =
  'queued' | 'held' | 'delivered' | 'tenant_off' | 'identified' | 'consent_withdrawn' | 'hook_threw';

/** What the onError hook receives; one object so fields can be added without breaking hooks. */
export interface ErrorInfo {
  error: WizKlaviyoError;
  tenant: string;
  /** The event concerned, when there is one. */
  event?: { name?: string; uniqueId?: string };
}

export interface Reporter {
  /** Sends a problem to onError and, in debug mode, to the console. Never throws. */
  error(error: WizKlaviyoError, event?: ErrorInfo['event']): void;
  /** A debug-mode trace line; silent otherwise. */
  debug(code: TraceCode, details?: Record<string, unknown>): void;
  /** The last error reported, for status(). */
  lastError(): { code: ErrorCode; message: string; at: number } | undefined;
  /**
   * What is said about an error (the console, status()): the debug plugin's English sentence when it is loaded, else
   * the code and a short summary of the details. Emails and phone numbers are masked either way.
   */
  text(error: Describable): string;
  /** Takes the debug plugin's sentences when they arrive later (the script tag loads them with data-debug). */
  describeWith(describe: (error: Describable) => string): void;
  /** Tells `listener` about each event stored from now on (the data-debug="panel" panel); returns the unsubscribe. */
  watch(listener: (event: TrackedEvent) => void): () => void;
  /** Tells the watchers about an event track() stored. Never throws. */
  tracked(event: TrackedEvent): void;
}

/** An event track() stored, as a watcher sees it: no profile, the Klaviyo properties as they will be sent. */
export interface TrackedEvent {
  metric: string;
  uniqueId: string;
  time: string;
  properties: Record<string, unknown>;
  /** Kept until identify() (a guest event). */
  held: boolean;
}

export interface ReporterOptions {
  tenant: string;
  debug: boolean;
  onError?: (info: ErrorInfo) => void;
  now: () => number;
  console?: Pick<Console, 'warn' | 'info'>;
  /** The debug plugin's sentences (Plugin.describe); without it errors are summed up from their code and details. */
  describe?: (error: Describable) => string;
}

// Any script: jürgen.müller@bücher.de is an email as much as ada@example.com (internationalised addresses exist).
const EMAIL = /([\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]*@([\p{L}\p{N}.-]+\.[\p{L}]{2,})/gu;
const PHONE = /(?<![\w-])\+?\d[\d\s().-]{7,}\d(?![\w-])/gu;
// UUIDs (our unique_ids) are set aside first: their digit groups would otherwise pass for hyphenated phone numbers.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// eslint-disable-next-line no-control-regex -- NUL brackets the set-aside UUIDs on purpose: no mask pattern matches it.
const SHIELDED = /\u0000(\d+)\u0000/g;

/** Masks emails and phone numbers so debug output never carries a shopper's PII. */
export function maskPii(text: string): string {
  const uuids: string[] = [];
  return text
    .replace(UUID, (uuid) => `\u0000${uuids.push(uuid) - 1}\u0000`)
    .replace(EMAIL, '$1***@$2')
    .replace(PHONE, (m) => `***${m.slice(-2)}`)
    .replace(SHIELDED, (match, index: string) => uuids[Number(index)] ?? match);
}

/** A setup mistake a merchant must see without debug mode (a refused site key): one console warning. */
export function warnMerchant(line: string): void {
  try {
    console.warn(`[wiz-klaviyo] ${line}`);
  } catch {
    // a page may have replaced the console
  }
}

export function createReporter(options: ReporterOptions): Reporter {
  const out = options.console ?? (typeof console === 'undefined' ? undefined : console);
  const prefix = `[wiz-klaviyo:${options.tenant}]`;
  let last: { code: ErrorCode; message: string; at: number } | undefined;
  let describe = options.describe;

  function debug(code: TraceCode, details: Record<string, unknown> = {}): void {
    if (!options.debug || !out) return;
    try {
      out.info(`${prefix} ${text({ code, details })}`);
    } catch {
      // The console itself can be replaced by the page; logging must never break tracking.
    }
  }

  function described(err: Describable): string | undefined {
    try {
      return describe?.(err);
    } catch {
      return undefined; // a description must never cost the report
    }
  }

  function text(err: Describable): string {
    return maskPii(described(err) ?? summarize(err));
  }

  function error(err: WizKlaviyoError, event?: ErrorInfo['event']): void {
    const sentence = described(err);
    const message = maskPii(sentence ?? summarize(err));
    // onError's error.message is the English sentence only with the debug plugin; its code and details always.
    if (sentence !== undefined) err.message = message;
    last = { code: err.code, message, at: options.now() };
    if (options.debug && out) {
      try {
        out.warn(`${prefix} ${sentence === undefined ? message : `${err.code}: ${message}`}`);
      } catch {
        // see above
      }
    }
    if (!options.onError) return;
    try {
      options.onError({ error: err, tenant: options.tenant, event });
    } catch (hookError) {
      let reason = 'a value that cannot be printed';
      try {
        reason = String(hookError); // may throw too (a prototype-less object, a toString that throws)
      } catch {
        // keep the placeholder
      }
      debug('hook_threw', { cause: reason });
    }
  }

  const watchers = new Set<(event: TrackedEvent) => void>();
  return {
    error,
    debug,
    lastError: () => last,
    text,
    describeWith: (sentences) => void (describe = sentences),
    watch(listener) {
      watchers.add(listener);
      return () => void watchers.delete(listener);
    },
    tracked(event) {
      for (const listener of watchers) {
        try {
          listener(event);
        } catch {
          // a watcher must never cost the event
        }
      }
    },
  };
}

/** The code and each detail in a few characters (`invalid_option: option=tenant, rule=tenant`), for production. */
export function summarize(error: Describable): string {
  const parts = Object.entries(error.details).map(([key, value]) => {
    const shown = typeof value === 'string' ? value : safeStringify(value);
    return `${key}=${shown.length > 80 ? `${shown.slice(0, 79)}…` : shown}`;
  });
  return parts.length > 0 ? `${error.code}: ${parts.join(', ')}` : error.code;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
