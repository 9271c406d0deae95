import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const terserOptions = { ecma: 2020, compress: { passes: 2 }, format: { comments: false } };

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
  {
    input: 'src/debug-script.ts',
    output: { file: 'dist/wiz-klaviyo.debug.js', format: 'iife', sourcemap: true },
    plugins: [
      typescript({ tsconfig: './tsconfig.json', declaration: false, declarationDir: undefined }),
      terser(terserOptions),
    ],
  },
  // The script tag: everything bundled, minified, auto-initialising.
  {
    input: 'src/auto.ts',
    output: { file: 'dist/wiz-klaviyo.iife.js', format: 'iife', sourcemap: true },
    plugins: [
      nodeResolve({ browser: true }),
      typescript({ tsconfig: './tsconfig.json', declaration: false, declarationDir: undefined }),
      terser(terserOptions),
    ],
  },
];
