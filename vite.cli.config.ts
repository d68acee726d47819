/**
 * The `latchkey` command, bundled for Node: out/cli/latchkey.js (turns on the compile cache) and
 * out/cli/main.js (the command, Node built-ins only), plus the chunk it loads only when no Latchkey
 * runs (direct.js: answering a still-valid token itself, with keytar, which stays outside).
 */
import { resolve } from 'node:path'
import { nodeBundle } from './vite.node-bundle.ts'

export default nodeBundle('out/cli', { latchkey: resolve('src/cli/latchkey.ts'), main: resolve('src/cli/main.ts') }, '[name].js')
