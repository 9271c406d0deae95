// The script tag's debug sentences (dist/wiz-klaviyo.debug.js), loaded only with data-debug: the script tag itself
// ships codes and details, and takes these sentences when this file has run (see global.ts).
import { describeError } from './plugins/debug.js';

(window as unknown as { __wizKlaviyoDescribe?: typeof describeError }).__wizKlaviyoDescribe = describeError;
