import type { autotrack } from '../autotrack/index.js';
import type { Plugin } from '../core/context.js';
import type { SenderFactory } from '../core/create.js';
import { VERSION } from '../version.js';

/**
 * The script tag ships in three files: the first stores events (core, consent, guest hold, the global), the sender
 * sends them, and the features file adds everything else. A later file registers what it brings here; the first file
 * (src/global.ts) picks it up once the file has run.
 */
export interface ScriptParts {
  sender?: SenderFactory;
  features?: FeaturesPart;
}

export interface FeaturesPart {
  /** identify, klaviyo.js, the typed helpers, status and dead letters (src/plugins/all.ts `laterFeatures`). */
  plugins: readonly Plugin[];
  autotrack: typeof autotrack;
}

export type PartName = keyof ScriptParts;

/** Where on `globalThis` the later files register (one registry for every tenant's script tag on the page). */
export const PARTS_KEY = '__wizKlaviyoParts';

type Registry = { [N in PartName]?: { version: string; part: ScriptParts[N] } };

export function registerPart<N extends PartName>(name: N, part: ScriptParts[N]): void {
  const scope = globalThis as { [PARTS_KEY]?: Registry };
  (scope[PARTS_KEY] ??= {})[name] = { version: VERSION, part } as Registry[N];
}

/**
 * What a later file registered, if it is of the first file's version: a cached file from another release may not
 * fit (it is then counted as not loaded, and tracking goes on).
 */
export function registeredPart<N extends PartName>(name: N): ScriptParts[N] | undefined {
  const entry = (globalThis as { [PARTS_KEY]?: Registry })[PARTS_KEY]?.[name];
  return entry?.version === VERSION ? entry.part : undefined;
}
