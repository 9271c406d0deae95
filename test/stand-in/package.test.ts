// @vitest-environment node
// What `npm pack` ships and what the script-tag file says about itself (run after `npm run build`, as npm test does).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; license: string };

describe('the package', () => {
  it('packs only what a user needs: dist, the README, the license and the changelog', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
    );
    const files: string[] = packed.files.map((file: { path: string }) => file.path);
    const extra = files.filter(
      (file) =>
        !file.startsWith('dist/') &&
        !file.startsWith('types/') &&
        !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file),
    );
    expect(extra).toEqual([]);
    for (const needed of [
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/core.js',
      'dist/core.d.ts',
      'dist/wiz-klaviyo.iife.js',
      'dist/wiz-klaviyo.sender.js',
      'dist/wiz-klaviyo.features.js',
      'dist/wiz-klaviyo.debug.js',
    ]) {
      expect(files).toContain(needed);
    }
  });

  it('is MIT licensed and exports its package.json', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(manifest.license).toBe('MIT');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License/);
    expect(manifest.exports['./package.json']).toBe('./package.json');
  });

  it('puts its name, version and license in a banner at the top of the script-tag files', () => {
    for (const file of ['iife', 'sender', 'features', 'debug'].map((part) => `dist/wiz-klaviyo.${part}.js`)) {
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(`/*! wiz-klaviyo ${pkg.version} | MIT License */`);
    }
  });
});
