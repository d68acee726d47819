/**
 * The `latchkey` command, bundled for Node: out/cli/latchkey.js (turns on the compile cache) and
 * out/cli/main.js (the command, Node built-ins only), plus the chunk it loads only when no Latchkey
 * runs (direct.js: answering a still-valid token itself, with keytar, which stays outside).
 */
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  ssr: { noExternal: true, external: ['keytar'], target: 'node' },
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node22',
    minify: true,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { latchkey: resolve('src/cli/latchkey.ts'), main: resolve('src/cli/main.ts') },
      external: ['keytar'],
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name].js' },
    },
  },
})
