// Prints what the script tag costs a storefront and fails when it grows past the budget.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const FILE = 'dist/wiz-klaviyo.iife.js';
/** gzip bytes the whole script-tag build may weigh; see README "Performance". */
export const BUDGET_GZIP = 20 * 1024;

const source = readFileSync(FILE);
const gzip = gzipSync(source, { level: 9 }).length;
const brotli = brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(`${FILE}: ${source.length} B minified, ${gzip} B gzip, ${brotli} B brotli (budget ${BUDGET_GZIP} B gzip)`);
if (gzip > BUDGET_GZIP) {
  console.error(`Over budget by ${gzip - BUDGET_GZIP} B gzip.`);
  process.exit(1);
}
