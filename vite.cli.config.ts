/**
 * The `latchkey` command, bundled for Node: out/cli/latchkey.js (turns on the compile cache) and
 * out/cli/main.js (the command, Node built-ins only).
 */
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node22',
    minify: true,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { latchkey: resolve('src/cli/latchkey.ts'), main: resolve('src/cli/main.ts') },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name].js' },
    },
  },
})
