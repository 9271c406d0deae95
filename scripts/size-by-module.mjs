// Where the bytes of each size figure go: the minified bytes of every source module, read from the source maps of
// the built files (`npm run size:modules`, after `npm run build`). The gzip column shares each file's gzip size out
// by minified bytes, so it is an estimate: gzip does not compress every module alike.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { CORE_ONLY_APP, SCRIPT_TAG_FILES, TERSER } from './size.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The numbers of one Base64 VLQ segment of a source map's `mappings`. */
function decodeSegment(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

/** Minified bytes per source module: each generated column range counts for the source its mapping names. */
function bytesBySource(code, map) {
  const totals = new Map();
  const lines = code.split('\n');
  let source = 0;
  map.mappings.split(';').forEach((line, row) => {
    const text = lines[row] ?? '';
    let column = 0;
    const starts = [];
    for (const segment of line.split(',').filter(Boolean)) {
      const [columnDelta, sourceDelta] = decodeSegment(segment);
      column += columnDelta;
      if (sourceDelta !== undefined) source += sourceDelta;
      starts.push([column, sourceDelta === undefined ? undefined : source]);
    }
    if (starts.length === 0 || starts[0][0] > 0) starts.unshift([0, undefined]); // a banner, a wrapper's opening
    starts.forEach(([start, from], i) => {
      const end = i + 1 < starts.length ? starts[i + 1][0] : text.length;
      const name = from === undefined ? '(glue)' : map.sources[from].replace(/^(\.\.\/)+/, '');
      totals.set(name, (totals.get(name) ?? 0) + end - start);
    });
  });
  // Newlines, and lines the map does not cover (the sourceMappingURL comment).
  const counted = [...totals.values()].reduce((sum, bytes) => sum + bytes, 0);
  totals.set('(glue)', (totals.get('(glue)') ?? 0) + code.length - counted);
  return totals;
}

function print(title, code, map) {
  const gzip = gzipSync(code, { level: 9 }).length;
  const rows = [...bytesBySource(code, map)].sort((a, b) => b[1] - a[1]);
  console.log(`\n${title}: ${code.length} B minified, ${gzip} B gzip`);
  for (const [name, bytes] of rows) {
    const share = Math.round((bytes / code.length) * gzip);
    console.log(`${String(bytes).padStart(7)} B  ~${String(share).padStart(5)} B gzip  ${name}`);
  }
}

for (const file of SCRIPT_TAG_FILES) {
  const [code, map] = await Promise.all(
    [file, `${file}.map`].map((name) => readFile(path.join(ROOT, 'dist', name), 'utf8')),
  );
  print(`dist/${file}`, code, JSON.parse(map));
}

// The core-only app as scripts/size.mjs bundles it, from the sources (the built chunk would hide its modules). The
// entry lives in a temp dir, not in src/, so an interrupted run leaves nothing in the project.
const dir = await mkdtemp(path.join(os.tmpdir(), 'wiz-klaviyo-modules-'));
const entry = path.join(dir, 'entry.mjs');
await writeFile(entry, CORE_ONLY_APP.replaceAll('CORE', JSON.stringify(path.join(ROOT, 'src', 'core.ts'))));
try {
  const bundle = await rollup({
    input: entry,
    plugins: [
      nodeResolve({ browser: true }),
      typescript({ tsconfig: path.join(ROOT, 'tsconfig.json'), declaration: false, declarationDir: undefined }),
      terser(TERSER),
    ],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es', sourcemap: true });
  await bundle.close();
  print('wiz-klaviyo/core, createWizKlaviyo + track', output[0].code, output[0].map);
} finally {
  await rm(dir, { recursive: true, force: true });
}
