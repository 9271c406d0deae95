// Types for chromium.mjs, for the TypeScript browser tests.
import type { Browser } from 'playwright-core';
export declare const CHROMIUM: string;
export declare const CHROMIUM_FLAGS: string[];
export declare function launchChromium(): Promise<Browser>;
