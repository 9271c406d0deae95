// The ESM entry: exports only, no effects at import time. createWizKlaviyo here has every feature; the composable
// entry is `wiz-klaviyo/core` (src/core.ts).
export { createWizKlaviyo } from './client.js';
export type { WizKlaviyo, TrackResult, DeadLetterApi, IdentifyReason, IdentifyResult } from './client.js';
export { allFeatures } from './plugins/all.js';
export * from './exports.js';
