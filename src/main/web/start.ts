/**
 * The bundled browser shell's entry (out/web/cli.js): turns on V8's compile cache (see
 * compile-cache-dir.ts) before the shell's code is loaded, so a start does not compile the same
 * ~1 MB of JavaScript again. V8's young generation is kept small from when the shell's core is
 * loaded (see cli.ts and young-generation.ts), not from here: a V8 flag set before the built-in
 * modules are loaded has them compiled from their source.
 */
import { mkdirSync } from 'node:fs'
import { enableCompileCache } from 'node:module'
import { compileCacheDir } from '../compile-cache-dir.ts'

const dir = compileCacheDir()
try {
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    enableCompileCache(dir)
  }
} catch {
  // Without the cache a start only takes longer.
}
await import('./cli.ts')
