// The composable ESM entry (`wiz-klaviyo/core`): the core and each plugin, so an app bundles only what it uses.
import type { Plugin } from './core/context.js';
import { createWithPlugins, type InstanceOf } from './core/create.js';
import { createSender } from './delivery/sender.js';
import type { WizKlaviyoOptions } from './options.js';

/**
 * One tenant's SDK: the core (track, durable delivery, the gate) plus the plugins given, e.g.
 * `createWizKlaviyo({ siteKey }, [identity, commerce])`, or `allFeatures` for everything. Never throws.
 */
export function createWizKlaviyo<P extends readonly Plugin[] = []>(
  options: WizKlaviyoOptions,
  plugins?: P,
): InstanceOf<P> {
  return createWithPlugins(options, plugins ?? ([] as unknown as P), createSender);
}

export type { CoreApi, InstanceOf } from './core/create.js';
export type { CoreContext, Plugin, GateCheck, Services } from './core/context.js';
export { allFeatures } from './plugins/all.js';
export { identity } from './plugins/identify.js';
export { consent } from './plugins/consent.js';
export { klaviyoJs } from './plugins/klaviyo-js.js';
export { commerce } from './plugins/commerce.js';
export { statusAndDeadLetters } from './plugins/status.js';
export { debugOutput } from './plugins/debug.js';
export { autotrack } from './autotrack/index.js';
export type { TrackResult } from './tracker.js';
export type { IdentifyApi, IdentifyReason, IdentifyResult } from './plugins/identify.js';
export type { ConsentApi } from './plugins/consent.js';
export type { StatusApi, DeadLetterApi } from './plugins/status.js';
export * from './exports.js';
