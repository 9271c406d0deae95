// Prints what the script tag costs a storefront and fails when it grows past the budget.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const FILE = 'dist/wiz-klaviyo.iife.js';
/**
 * gzip bytes the whole script-tag build may weigh; see README "Performance". 21 KB while the script tag still carries
 * every plugin in one file (the core/plugin split added ~0.6 KB of wiring); it comes down when the script tag loads
 * the core first and the plugins after.
 */
export const BUDGET_GZIP = 21 * 1024;

const source = readFileSync(FILE);
const gzip = gzipSync(source, { level: 9 }).length;
const brotli = brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(`${FILE}: ${source.length} B minified, ${gzip} B gzip, ${brotli} B brotli (budget ${BUDGET_GZIP} B gzip)`);
if (gzip > BUDGET_GZIP) {
  console.error(`Over budget by ${gzip - BUDGET_GZIP} B gzip.`);
  process.exit(1);
}
