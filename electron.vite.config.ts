import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { COMPILE_HINT, inlinePage } from './vite.renderer-page.ts'

export default defineConfig({
  main: {
    build: {
      // keytar is an optional native dependency: load it at run time, never bundle it.
      externalizeDeps: { include: ['keytar'] },
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // keytar runs in a utility process of its own: this is its entry.
          'keychain-worker': resolve('src/main/adapters/keychain-worker/worker.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload must be one self-contained CommonJS file.
    build: {
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), inlinePage()],
    build: {
      minify: true,
      // The browser shell's bridge (web-bridge.js) is built on its own: see vite.bridge.config.ts.
      // The app's script loads by itself (no preload helper: it imports nothing).
      modulePreload: false,
      rolldownOptions: {
        input: { index: resolve('src/renderer/index.html') },
        output: { postBanner: (chunk) => (chunk.isEntry ? COMPILE_HINT : '') },
      },
    },
  },
})
