import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// `/*!` comments survive minification: the script-tag files say what they are.
const terserOptions = { ecma: 2020, compress: { passes: 2 }, format: { comments: /^!/ } };
const banner = `/*! wiz-klaviyo ${version} | MIT License */`;
// src/version.ts reads it, so the script tag's wizKlaviyo.version is the package's.
const intro = `const __WIZ_KLAVIYO_VERSION__ = ${JSON.stringify(version)};`;

/** Prints the Subresource Integrity hash of a script-tag file, for shops that host it on a CDN (README "Script tag"). */
const printIntegrity = () => ({
  name: 'print-integrity',
  writeBundle(options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue;
      const hash = createHash('sha384').update(file.code).digest('base64');
      console.log(`${options.file ?? file.fileName}: integrity="sha384-${hash}"`);
    }
  },
});

/** A file the script tag fetches from next to itself on demand: an IIFE, minified. */
const loadedByScriptTag = (input, file) => ({
  input,
  output: { file, format: 'iife', sourcemap: true, banner, intro },
  plugins: [
    nodeResolve({ browser: true }),
    typescript({ tsconfig: './tsconfig.json', declaration: false, declarationDir: undefined }),
    terser(terserOptions),
    printIntegrity(),
  ],
});

export default [
  // ESM for bundlers: idb-keyval stays an import so the app's bundler dedupes it; types are emitted here.
  // Two entries: `wiz-klaviyo` (every feature) and `wiz-klaviyo/core` (the core and each plugin); shared code is one
  // chunk, so an app that imports both gets one copy.
  {
    input: { index: 'src/index.ts', core: 'src/core.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    external: ['idb-keyval'],
    plugins: [typescript({ tsconfig: './tsconfig.json', declaration: true, declarationDir: 'dist' })],
  },
  // The debug sentences the script tag loads with data-debug (see src/global.ts).
  loadedByScriptTag('src/debug-script.ts', 'dist/wiz-klaviyo.debug.js'),
  // The in-page panel the script tag loads with data-debug="panel" (see src/global.ts); outside the size budgets.
  loadedByScriptTag('src/panel.ts', 'dist/wiz-klaviyo.panel.js'),
  // The script tag's later files (see src/parts/registry.ts): the sender, fetched at once, and the features, fetched
  // when the page is idle or at the first call that needs them.
  loadedByScriptTag('src/parts/sender.ts', 'dist/wiz-klaviyo.sender.js'),
  loadedByScriptTag('src/parts/features.ts', 'dist/wiz-klaviyo.features.js'),
  // The script tag: everything bundled, minified, auto-initialising.
  {
    input: 'src/auto.ts',
    output: { file: 'dist/wiz-klaviyo.iife.js', format: 'iife', sourcemap: true, banner, intro },
    plugins: [
      nodeResolve({ browser: true }),
      typescript({ tsconfig: './tsconfig.json', declaration: false, declarationDir: undefined }),
      terser(terserOptions),
      printIntegrity(),
    ],
  },
];
