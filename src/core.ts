// The composable ESM entry (`wiz-klaviyo/core`): the core and each plugin, so an app bundles only what it uses.
import type { Plugin } from './core/context';
import { createWithPlugins, type InstanceOf } from './core/create';
import type { WizKlaviyoOptions } from './options';

/**
 * One tenant's SDK: the core (track, durable delivery, the gate) plus the plugins given, e.g.
 * `createWizKlaviyo({ siteKey }, [identity, commerce])`, or `allFeatures` for everything. Never throws.
 */
export function createWizKlaviyo<P extends readonly Plugin[] = []>(
  options: WizKlaviyoOptions,
  plugins?: P,
): InstanceOf<P> {
  return createWithPlugins(options, plugins ?? ([] as unknown as P));
}

export type { CoreApi, InstanceOf } from './core/create';
export type { CoreContext, Plugin, GateCheck, Services } from './core/context';
export { allFeatures } from './plugins/all';
export { identity } from './plugins/identify';
export { consent } from './plugins/consent';
export { klaviyoJs } from './plugins/klaviyo-js';
export { commerce } from './plugins/commerce';
export { statusAndDeadLetters } from './plugins/status';
export { debugOutput } from './plugins/debug';
export { autotrack } from './autotrack/index';
export type { TrackResult } from './tracker';
export type { IdentifyApi, IdentifyReason, IdentifyResult } from './plugins/identify';
export type { ConsentApi } from './plugins/consent';
export type { StatusApi, DeadLetterApi } from './plugins/status';
export * from './exports';
