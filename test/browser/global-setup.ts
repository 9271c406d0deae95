import { existsSync } from 'node:fs';
import { CHROMIUM } from '../../scripts/chromium.mjs';

/** Fails loudly instead of skipping: the browser tests are the proof that delivery works in a real browser. */
export default function checkPrerequisites(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Run \`npm test\` (it installs it as root) or: sudo apt-get install -y chromium`,
    );
  }
  if (!existsSync('dist/wiz-klaviyo.iife.js')) {
    throw new Error('dist/wiz-klaviyo.iife.js is missing: run `npm run build` first (npm test does).');
  }
}
