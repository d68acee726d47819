/**
 * The `latchkey` command, bundled for Node: out/cli/latchkey.js (turns on the compile cache) and
 * out/cli/main.js (the command, Node built-ins only), plus the chunk it loads only when no Latchkey
 * runs (direct.js: answering a still-valid token itself, with keytar, which stays outside). Imports
 * of Node built-ins are taken without their ES module facade (src/cli/builtin-imports.ts).
 */
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { builtinsWithoutFacade } from './src/cli/builtin-imports.ts'
import { nodeBundle } from './vite.node-bundle.ts'

const noFacade: Plugin = {
  name: 'latchkey-builtins-without-facade',
  renderChunk: (code) => ({ code: builtinsWithoutFacade(code), map: null }),
}

export default { ...nodeBundle('out/cli', { latchkey: resolve('src/cli/latchkey.ts'), main: resolve('src/cli/main.ts') }, '[name].js'), plugins: [noFacade] }
