// The script tag's features file (dist/wiz-klaviyo.features.js), fetched once the page is idle or on the first call
// that needs it: identify, klaviyo.js, the typed helpers, status, dead letters and auto-tracking.
import { autotrack } from '../autotrack/index.js';
import { laterFeatures } from '../plugins/later.js';
import { registerPart } from './registry.js';

registerPart('features', { plugins: laterFeatures, autotrack });
