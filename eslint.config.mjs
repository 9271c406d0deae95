// ESLint 9 flat config. typescript-eslint's recommended rules (not the type-checked set, to stay fast) for the
// TypeScript in src/ and test/; @eslint/js's recommended rules for the JavaScript in scripts/, bench/ and examples/.
// On top of them, the project's own rules: no eval of any kind, no HTML written into the page from src/ or
// examples/, no console in src/ but in the reporter (and auto.ts), `_name` for deliberately unused values.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The SDK and the examples put text into the DOM with createElement + textContent, never as HTML.
const noHtmlSinks = {
  'no-restricted-properties': [
    'error',
    { property: 'insertAdjacentHTML', message: 'Build nodes with createElement and set textContent instead.' },
    { object: 'document', property: 'write', message: 'document.write is forbidden: build nodes instead.' },
    { object: 'document', property: 'writeln', message: 'document.writeln is forbidden: build nodes instead.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: 'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
      message: 'Assigning HTML is forbidden: build nodes with createElement and set textContent.',
    },
    {
      selector: 'AssignmentExpression > MemberExpression.left[property.value=/^(innerHTML|outerHTML)$/]',
      message: 'Assigning HTML is forbidden: build nodes with createElement and set textContent.',
    },
    {
      // `win.document.write(…)`: the SDK reaches the page through an injected window.
      selector: "CallExpression[callee.property.name=/^write(ln)?$/][callee.object.property.name='document']",
      message: 'document.write is forbidden: build nodes instead.',
    },
  ],
};

const unusedVars = {
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

// Scripts loaded with a plain <script> tag (no type="module"): they share the page's global scope.
const classicScripts = [
  'examples/demo/**/*.js',
  'examples/storefront/**/*.js',
  'examples/stand-in/live/**/*.js',
  'bench/pages/**/*.js',
  'test/browser/pages/**/*.js',
];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', 'artifacts/', 'bench/results.json'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Everything: the no-eval rules hold for the SDK, its tests and every tool around it.
  {
    files: ['**/*.{ts,mts,tsx,js,mjs}'],
    extends: [js.configs.recommended],
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-unused-vars': ['error', unusedVars],
    },
  },

  // TypeScript: src/, test/, the recipes (.tsx too), the config files and the .d.mts declarations beside the .mjs tools.
  {
    files: ['**/*.{ts,mts,tsx}'],
    extends: [tseslint.configs.recommended],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
    },
  },

  // The SDK itself.
  {
    files: ['src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...noHtmlSinks,
      'no-console': 'error',
    },
  },
  // report.ts is the one place the SDK writes to the console (debug output and errors); auto.ts runs before any
  // reporter exists and says there why the script tag could not start.
  {
    files: ['src/report.ts', 'src/auto.ts'],
    rules: { 'no-console': 'off' },
  },

  // Tests run in Node (vitest, happy-dom) and drive pages through page.evaluate, whose callbacks see the page.
  {
    files: ['test/**/*.{ts,tsx}', 'vitest.config.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // page.evaluate callbacks and hostile-input fixtures poke at untyped page globals and payloads on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  // Node tools: build and test scripts, benchmarks, the stand-in server.
  {
    files: ['*.mjs', 'scripts/**/*.{mjs,mts}', 'bench/*.mjs', 'examples/stand-in/*.{mjs,mts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  // The benchmarks drive Chromium through page.evaluate, whose callbacks run in the page.
  {
    files: ['bench/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },

  // The examples run in the browser: no HTML sinks there either, since they are what integrators copy.
  {
    files: ['examples/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
    rules: noHtmlSinks,
  },
  {
    files: ['bench/pages/**/*.js', 'test/browser/pages/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: classicScripts,
    languageOptions: { sourceType: 'script' },
  },
  // The storefront's theme scripts are written in ES5, which has no `catch {}`: the unused `catch (error)` stays.
  {
    files: ['examples/storefront/**/*.js'],
    rules: { 'no-unused-vars': ['error', { ...unusedVars, caughtErrors: 'none' }] },
  },
);
