import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { appIcon, inlinePage } from './vite.renderer-page.ts'

export default defineConfig({
  main: {
    // The app's Svelte components, compiled for the server: the main process draws the account
    // list's first frame with them (src/main/web/first-frame.ts).
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
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
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), appIcon(), inlinePage()],
    build: {
      minify: true,
      // The browser shell's bridge (web-bridge.js) is built on its own: see vite.bridge.config.ts.
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
})
