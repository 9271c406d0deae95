// What the SDK costs to download, printed on every `npm test` and `npm run bench`: the script-tag build as shipped,
// and what a bundler keeps of the composable ESM entry when an app imports only createWizKlaviyo and calls track()
// (tree-shaken, minified like the script tag). Fails when a figure is over its budget.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;

/**
 * gzip bytes each figure may weigh (budget: fails above it) and where it must get to (target: printed).
 * The script tag's budget is 21 KB while it carries every plugin in one file (the core/plugin split added ~0.6 KB of
 * wiring); it comes down to the target when the script tag loads the core first and the plugins after.
 */
export const LIMITS = {
  iife: { budget: 21 * KB, target: 8 * KB },
  coreEsm: { budget: 13 * KB, target: 7 * KB },
};
// The same minifier settings as rollup.config.mjs uses for the script tag, so the two figures compare.
const TERSER = { ecma: 2020, compress: { passes: 2 }, format: { comments: false } };

function weigh(bytes) {
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Bundles a two-line app in a temp dir: import { createWizKlaviyo } from dist/core.js, call track(). */
async function coreOnlyEsm() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wiz-klaviyo-size-'));
  try {
    const entry = path.join(dir, 'entry.mjs');
    await writeFile(
      entry,
      `import { createWizKlaviyo } from ${JSON.stringify(path.join(ROOT, 'dist', 'core.js'))};\n` +
        `createWizKlaviyo({ siteKey: 'AbC123' }).track('Viewed Product', { ProductID: 'p1' });\n`,
    );
    const bundle = await rollup({
      input: entry,
      // idb-keyval resolves from dist/'s node_modules, as an app's bundler would find it.
      plugins: [nodeResolve({ browser: true }), terser(TERSER)],
      onwarn: () => {},
    });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    return weigh(Buffer.from(output[0].code));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function measureSize() {
  return {
    iife: { ...weigh(await readFile(path.join(ROOT, 'dist', 'wiz-klaviyo.iife.js'))), ...LIMITS.iife },
    coreEsm: { ...(await coreOnlyEsm()), ...LIMITS.coreEsm },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const size = await measureSize();
  const names = { iife: 'dist/wiz-klaviyo.iife.js', coreEsm: 'wiz-klaviyo/core, createWizKlaviyo + track' };
  let over = false;
  for (const [key, s] of Object.entries(size)) {
    const target = s.gzip <= s.target ? 'target met' : `target ${s.target} B: not met`;
    console.log(
      `${names[key]}: ${s.minified} B minified, ${s.gzip} B gzip, ${s.brotli} B brotli (budget ${s.budget} B gzip; ${target})`,
    );
    if (s.gzip > s.budget) {
      console.error(`${names[key]} is over its budget by ${s.gzip - s.budget} B gzip.`);
      over = true;
    }
  }
  if (over) process.exit(1);
}
