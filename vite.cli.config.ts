/**
 * The `latchkey` command, bundled for Node as CommonJS: out/cli/latchkey.js, the whole command in one
 * file (Node built-ins only), plus the chunks it loads only when no Latchkey runs (direct.js: answering
 * a still-valid token itself). One file because resolving, reading and compiling a second one cost
 * the command more than V8's compile cache saved it on a file this size. CommonJS because Node starts
 * a CommonJS entry for about what `node -e 0` costs, while an ES module entry starts its module loader
 * first (some 5 ms of CPU on a command meant to cost little more than starting Node); the folder's
 * own package.json says so. keytar stays outside. Imports of Node built-ins that are left as ES
 * module imports would build their export facades: src/cli/builtin-imports.ts takes them from
 * process.getBuiltinModule instead.
 */
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { builtinsWithoutFacade } from './src/cli/builtin-imports.ts'
import { nodeBundle } from './vite.node-bundle.ts'

const base = nodeBundle('out/cli', { latchkey: resolve('src/cli/latchkey.ts') }, '[name].js')

const commonJs: Plugin = {
  name: 'latchkey-command-common-js',
  renderChunk: (code) => ({ code: builtinsWithoutFacade(code), map: null }),
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'package.json', source: `${JSON.stringify({ type: 'commonjs' })}\n` })
  },
}

export default {
  ...base,
  plugins: [commonJs],
  // Whether this file is the program Node runs (CommonJS has no import.meta): not when Electron imports it.
  define: { 'import.meta.main': 'require.main === module' },
  build: {
    ...base.build,
    rolldownOptions: {
      ...base.build?.rolldownOptions,
      output: { format: 'cjs', entryFileNames: '[name].js', chunkFileNames: '[name].js' },
    },
  },
}
