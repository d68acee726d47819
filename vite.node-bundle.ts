/**
 * What the Node bundles share (the browser shell's main process and the `latchkey` command): every
 * dependency inside, minified ES modules for Node 22+, keytar left outside because it is a native
 * module.
 */
import { defineConfig, type UserConfig } from 'vite'

export function nodeBundle(outDir: string, input: Record<string, string>, chunkFileNames?: string): UserConfig {
  return defineConfig({
    publicDir: false,
    logLevel: 'warn',
    ssr: { noExternal: true, external: ['keytar'], target: 'node' },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node22',
      minify: true,
      reportCompressedSize: false,
      rolldownOptions: {
        input,
        external: ['keytar'],
        output: { format: 'es', entryFileNames: '[name].js', ...(chunkFileNames === undefined ? {} : { chunkFileNames }) },
      },
    },
  })
}
