import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// `/*!` comments survive minification: the script-tag files say what they are.
const terserOptions = { ecma: 2020, compress: { passes: 2 }, format: { comments: /^!/ } };
const banner = `/*! wiz-klaviyo ${version} | MIT License */`;
// src/version.ts reads it, so the script tag's wizKlaviyo.version is the package's.
const intro = `const __WIZ_KLAVIYO_VERSION__ = ${JSON.stringify(version)};`;

/**
 * Each script-tag file's Subresource Integrity hash by file name, as built: the first file (built last) carries them.
 * SHA-256 there (SRI accepts it like SHA-384): 20 bytes less per file in the first download.
 */
const integrityOf = {};

/** Prints the Subresource Integrity hash of a script-tag file, for shops that host it on a CDN (README "Script tag"). */
const printIntegrity = () => ({
  name: 'print-integrity',
  writeBundle(options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue;
      const digest = (algorithm) => `${algorithm}-${createHash(algorithm).update(file.code).digest('base64')}`;
      integrityOf[path.basename(options.file ?? file.fileName)] = digest('sha256');
      console.log(`${options.file ?? file.fileName}: integrity="${digest('sha384')}"`);
    }
  },
});

/**
 * The kit: modules of the first script-tag file that its later files (sender, features) use too. A later file takes
 * them from `globalThis.__wizKlaviyoKit`, which the first file fills, instead of carrying its own copy. Only modules
 * the first file has anyway belong here (sharing one would otherwise move its code into the first download); the
 * registry and the version stay in each file, so a later file from another release is still told apart.
 *
 * The kit is an array: the version, then one array per shared module holding its exports in name order, only those a
 * later file uses (short indices instead of export names keep the first file small).
 */
const KIT = 'globalThis.__wizKlaviyoKit';
const SHARED = [
  'src/errors.ts',
  'src/web-storage.ts',
  'src/platform.ts',
  'src/cookies.ts',
  'src/events/validate.ts',
  'src/events/event-options.ts',
  'src/delivery/queue.ts',
  'src/plugins/guest-hold.ts',
  'src/script-tag.ts',
].map((file) => path.resolve(file));
const KIT_MODULE = '\0wiz-kit:';
/** Which exports of each shared module the later files use: collected as they build (they build first). */
const kitUse = new Map(SHARED.map((file) => [file, new Set()]));
/** A shared module's exports in name order: their places in its kit array. */
const exportsOf = async (context, file) => [...(await context.load({ id: file })).exports].sort();

/** In a later file: imports of a shared module read the kit; the file does nothing without a kit of its version. */
const readsKit = {
  intro: `const kit = ${KIT};\nif (kit?.[0] !== ${JSON.stringify(version)}) return;\n${intro}`,
  plugin: {
    name: 'read-kit',
    async resolveId(source, importer, options) {
      if (!importer || importer.startsWith(KIT_MODULE)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && SHARED.includes(resolved.id) ? KIT_MODULE + resolved.id : null;
    },
    async load(id) {
      if (!id.startsWith(KIT_MODULE)) return null;
      const file = id.slice(KIT_MODULE.length);
      const slot = SHARED.indexOf(file) + 1;
      const names = await exportsOf(this, file);
      // Pure: an export no code of this file uses is left out, and so is its place in the kit.
      return names.map((name, i) => `export const ${name} = /*#__PURE__*/ (() => kit[${slot}][${i}])();`).join('\n');
    },
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        for (const [id, module] of Object.entries(file.modules)) {
          if (id.startsWith(KIT_MODULE))
            for (const name of module.renderedExports) kitUse.get(id.slice(KIT_MODULE.length)).add(name);
        }
      }
    },
  },
};

/**
 * In the first file: src/parts/kit.ts becomes the module that fills the kit with what the later files use, and
 * src/parts/integrity.ts the hashes of the files built before it.
 */
const fillsKit = {
  name: 'fill-kit',
  buildStart() {
    if ([...kitUse.values()].every((names) => names.size === 0)) {
      this.error('the later script-tag files must build before the first one: they say what the kit holds');
    }
  },
  async load(id) {
    if (id === path.resolve('src/parts/integrity.ts')) {
      return `export const LATER_FILES_INTEGRITY = ${JSON.stringify(integrityOf)};\n`;
    }
    if (id !== path.resolve('src/parts/kit.ts')) return null;
    const imports = [];
    const slots = [];
    for (const [m, file] of SHARED.entries()) {
      const names = await exportsOf(this, file);
      const used = names.map((name) => kitUse.get(file).has(name));
      imports.push(
        `import { ${names
          .map((name, i) => `${name} as k${m}_${i}`)
          .filter((_, i) => used[i])
          .join(', ')} } from ${JSON.stringify(file)};`,
      );
      slots.push(`[${names.map((_, i) => (used[i] ? `k${m}_${i}` : '')).join(', ')}]`);
    }
    return `${imports.join('\n')}\n${KIT} = [${JSON.stringify(version)}, ${slots.join(', ')}];\n`;
  },
};

/** A file the script tag fetches from next to itself on demand: an IIFE, minified; `kit`: it reads the kit. */
const loadedByScriptTag = (input, file, { kit = false } = {}) => ({
  input,
  output: {
    file,
    format: 'iife',
    sourcemap: true,
    banner,
    intro: kit ? readsKit.intro : intro,
  },
  plugins: [
    ...(kit ? [readsKit.plugin] : []),
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
  // They build before the first file, which fills the kit with what they use.
  loadedByScriptTag('src/parts/sender.ts', 'dist/wiz-klaviyo.sender.js', { kit: true }),
  loadedByScriptTag('src/parts/features.ts', 'dist/wiz-klaviyo.features.js', { kit: true }),
  // The script tag: everything bundled, minified, auto-initialising.
  {
    input: 'src/auto.ts',
    output: { file: 'dist/wiz-klaviyo.iife.js', format: 'iife', sourcemap: true, banner, intro },
    plugins: [
      fillsKit,
      nodeResolve({ browser: true }),
      typescript({ tsconfig: './tsconfig.json', declaration: false, declarationDir: undefined }),
      terser(terserOptions),
      printIntegrity(),
    ],
  },
];
