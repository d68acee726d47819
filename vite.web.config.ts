/**
 * The browser shell's main process, bundled for Node: one file (out/web/cli.js) with its
 * dependencies inside, so a start reads one script instead of type-stripping ~90 modules, plus the
 * keychain worker's entry (out/web/keychain-worker.js). keytar stays outside: it is a native module.
 * out/web/cli.js turns on the compile cache, then loads the shell (out/web/shell.js).
 */
import { resolve } from 'node:path'
import { nodeBundle } from './vite.node-bundle.ts'

export default nodeBundle('out/web', {
  cli: resolve('src/main/web/start.ts'),
  shell: resolve('src/main/web/cli.ts'),
  headless: resolve('src/main/headless/cli.ts'),
  'keychain-worker': resolve('src/main/adapters/keychain-worker/worker.ts'),
})
