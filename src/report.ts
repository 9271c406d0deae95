import type { WizKlaviyoError } from './errors';

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
  debug(message: string, data?: unknown): void;
  /** The last error reported, for status(). */
  lastError(): { code: string; message: string; at: number } | undefined;
}

export interface ReporterOptions {
  tenant: string;
  debug: boolean;
  onError?: (info: ErrorInfo) => void;
  now: () => number;
  console?: Pick<Console, 'warn' | 'info'>;
}

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// Not hyphens: they would turn parts of UUIDs (our unique_ids) into "phones".
const PHONE = /(?<![\w-])\+?\d[\d\s().]{7,}\d(?![\w-])/g;

/** Masks emails and phone numbers so debug output never carries a shopper's PII. */
export function maskPii(text: string): string {
  return text.replace(EMAIL, '$1***@$2').replace(PHONE, (m) => `***${m.slice(-2)}`);
}

export function createReporter(options: ReporterOptions): Reporter {
  const out = options.console ?? (typeof console === 'undefined' ? undefined : console);
  const prefix = `[wiz-klaviyo:${options.tenant}]`;
  let last: { code: string; message: string; at: number } | undefined;

  function debug(message: string, data?: unknown): void {
    if (!options.debug || !out) return;
    try {
      const detail = data === undefined ? '' : ` ${maskPii(safeStringify(data))}`;
      out.info(`${prefix} ${maskPii(message)}${detail}`);
    } catch {
      // The console itself can be replaced by the page; logging must never break tracking.
    }
  }

  function error(err: WizKlaviyoError, event?: ErrorInfo['event']): void {
    last = { code: err.code, message: maskPii(err.message), at: options.now() };
    if (options.debug && out) {
      try {
        out.warn(`${prefix} ${err.code}: ${maskPii(err.message)}`);
      } catch {
        // see above
      }
    }
    if (!options.onError) return;
    try {
      options.onError({ error: err, tenant: options.tenant, event });
    } catch (hookError) {
      debug(`onError hook threw: ${String(hookError)}`);
    }
  }

  return { error, debug, lastError: () => last };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
