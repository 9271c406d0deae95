// `import type {} from 'wiz-klaviyo/iife'` (or `/// <reference types="wiz-klaviyo/iife" />`) types the script tag's
// global in a theme's own TypeScript: the stub array until the script has loaded, then the SDK (`loaded: true`).
import type { QueuedCall, WizKlaviyoGlobal } from '../dist/index.js';

declare global {
  interface Window {
    wizKlaviyo: WizKlaviyoGlobal | QueuedCall[];
  }
}

export {};
