// What the SDK costs to download: the script-tag build as shipped, and what a bundler keeps of the ESM build when
// an app imports only createWizKlaviyo and calls track() (tree-shaken, minified like the IIFE).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { ROOT } from './lib.mjs';

export const TARGETS = { iifeGzip: 8 * 1024, coreEsmGzip: 4 * 1024 };
// The same minifier settings as rollup.config.mjs uses for the IIFE, so the two figures compare.
const TERSER = { ecma: 2020, compress: { passes: 2 }, format: { comments: false } };

function weigh(bytes) {
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Bundles a two-line app in a temp dir: import { createWizKlaviyo } from dist/index.js, call track(). */
async function coreOnlyEsm() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wiz-klaviyo-size-'));
  try {
    const entry = path.join(dir, 'entry.mjs');
    const dist = path.join(ROOT, 'dist', 'index.js');
    await writeFile(
      entry,
      `import { createWizKlaviyo } from ${JSON.stringify(dist)};\n` +
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
  const iife = weigh(await readFile(path.join(ROOT, 'dist', 'wiz-klaviyo.iife.js')));
  const coreEsm = await coreOnlyEsm();
  return {
    iife: { ...iife, targetGzip: TARGETS.iifeGzip },
    coreEsm: { ...coreEsm, targetGzip: TARGETS.coreEsmGzip },
  };
}
