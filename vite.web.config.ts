/**
 * The browser shell's main process, bundled for Node: one file (out/web/cli.js) with its
 * dependencies inside, so a start reads one script instead of type-stripping ~90 modules, plus the
 * keychain worker's entry (out/web/keychain-worker.js). keytar stays outside: it is a native module.
 * out/web/cli.js turns on the compile cache, then loads the shell (out/web/shell.js).
 *
 * Node built-ins are taken from process.getBuiltinModule rather than imported as ES modules (see
 * src/cli/builtin-imports.ts): the facade of node:http alone read getters that loaded undici, tens
 * of milliseconds before the shell could listen.
 */
import { resolve } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import type { Plugin } from 'vite'
import { builtinsWithoutFacade } from './src/cli/builtin-imports.ts'
import { nodeBundle } from './vite.node-bundle.ts'

/** `import a,{b}from"node:x"` → `import a from"node:x";import{b}from"node:x"`, which builtinsWithoutFacade takes. */
const DEFAULT_AND_NAMED = /import\s*([\w$]+)\s*,\s*(\{[^}]*\})\s*from\s*(["']node:[\w/]+["']);?/g

const builtins: Plugin = {
  name: 'latchkey-shell-builtins',
  renderChunk: (code) => ({ code: builtinsWithoutFacade(code.replace(DEFAULT_AND_NAMED, 'import $1 from $3;import$2from $3;')), map: null }),
}

const base = nodeBundle('out/web', {
  cli: resolve('src/main/web/start.ts'),
  shell: resolve('src/main/web/cli.ts'),
  headless: resolve('src/main/headless/cli.ts'),
  'keychain-worker': resolve('src/main/adapters/keychain-worker/worker.ts'),
})

// The app's Svelte components, compiled for the server: the shell draws the account list's first
// frame with them (src/main/web/first-frame.ts).
export default { ...base, plugins: [builtins, svelte({ configFile: resolve('svelte.config.js') })] }
