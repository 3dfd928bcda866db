// ESLint flat config: typescript-eslint strictTypeChecked plus a few house rules.
// Formatting is Prettier's job (.prettierrc.json); lint never checks it.
import { fileURLToPath } from 'node:url'
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'stream',
  'test',
  'url',
  'util',
  'worker_threads',
  'zlib',
]

const restrictedImports = {
  paths: NODE_BUILTINS.map((name) => ({ name, message: `Import 'node:${name}' (always the node: prefix).` })),
  patterns: [
    {
      group: ['@carapace/*/src', '@carapace/*/src/**'],
      message: "Import a package's public entry point, not its sources.",
    },
  ],
}

export default defineConfig(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/fixtures/**', '**/*.d.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: fileURLToPath(new URL('.', import.meta.url)) },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': ['error', restrictedImports],
      'no-console': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // The CLI is the one place that talks to the terminal.
    files: ['packages/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests may use non-null assertions on values the test itself set up.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: { eqeqeq: ['error', 'always'], 'no-restricted-imports': ['error', restrictedImports] },
  },
)
