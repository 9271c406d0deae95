import type { CommerceHelpers } from './commerce.js';
import { createWithPlugins, type CoreApi } from './core/create.js';
import { createSender } from './delivery/sender.js';
import type { WizKlaviyoOptions } from './options.js';
import { allFeatures } from './plugins/all.js';
import { debugOutput } from './plugins/debug.js';
import type { ConsentApi } from './plugins/consent.js';
import type { IdentifyApi } from './plugins/identify.js';
import type { StatusApi } from './plugins/status.js';

export type { TrackResult } from './tracker.js';
export type { IdentifyReason, IdentifyResult } from './plugins/identify.js';
export type { DeadLetterApi } from './plugins/status.js';

/** One tenant's SDK with every feature: the core's calls, identify, consent, the typed helpers and status. */
export interface WizKlaviyo extends CoreApi, IdentifyApi, ConsentApi, CommerceHelpers, StatusApi {}

/**
 * Creates one tenant's SDK instance with every feature (the core plus `allFeatures`), and with `debug: true` the
 * debug plugin's English sentences. Never throws: refused options (a private key, a malformed site key) give an
 * instance whose calls do nothing and whose status() says why.
 */
export function createWizKlaviyo(options: WizKlaviyoOptions): WizKlaviyo {
  return createWithPlugins(
    options,
    options?.debug === true ? [...allFeatures, debugOutput] : allFeatures,
    createSender,
  );
}
