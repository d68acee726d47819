/**
 * The browser shell's bridge (out/renderer/web-bridge.js): `window.latchkey` over HTTP, in one
 * classic script with nothing to import, which the shell writes into the page it serves so that it
 * runs while the page is parsed (its first calls go out before the app's script has even arrived).
 * Built after the renderer (electron-vite), into the same folder.
 */
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'out/renderer',
    emptyOutDir: false,
    minify: true,
    target: 'es2022',
    reportCompressedSize: false,
    rolldownOptions: {
      input: { 'web-bridge': resolve('src/renderer/src/web-bridge/index.ts') },
      output: { format: 'iife', entryFileNames: '[name].js' },
    },
  },
})
