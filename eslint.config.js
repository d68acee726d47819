// Lint: typescript-eslint strict + type-aware, Svelte, and the process boundaries as rules.
import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import svelteConfig from './svelte.config.js'

const electronSide = ['electron', 'keytar', 'electron-store', 'conf']

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.cache/**', 'test-results/**', 'playwright-report/**', 'build/**', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      '@typescript-eslint/unified-signatures': 'off',
      // Only the Electron binding touches ipcMain; only the preload touches ipcRenderer.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', importNames: ['ipcMain'], message: 'Only src/main/ipc/electron-binding.ts may use ipcMain.' },
            { name: 'electron', importNames: ['ipcRenderer'], message: 'Only src/preload/index.ts may use ipcRenderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, svelteConfig },
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', '**/preload/**'], message: 'The renderer talks to the main process only through window.latchkey.' },
            { group: ['node:*', ...electronSide], message: 'The renderer is a sandboxed web page.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronSide.map((name) => ({ name, message: 'The core is free of Electron and its adapters; use a port.' })),
          patterns: [
            { group: ['**/adapters/**', '**/providers/**', '**/ipc/**', '**/web/**', '**/security/**'], message: 'The core depends on ports only.' },
          ],
        },
      ],
    },
  },
  {
    // `args: void` marks channels that take no argument; the Api type turns them into () => ….
    files: ['src/shared/contract.ts'],
    rules: { '@typescript-eslint/no-invalid-void-type': 'off' },
  },
  {
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/main/ipc/electron-binding.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.test.ts', 'e2e/**', 'bench/**', 'src/dev/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
)
