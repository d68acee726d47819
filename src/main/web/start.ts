/**
 * The bundled browser shell's entry (out/web/cli.js): turns on V8's compile cache, in the person's
 * own cache folder (never a shared temp folder: the cache holds code this process runs), before
 * the shell's code is loaded, so a start does not compile the same ~1 MB of JavaScript again.
 */
import { mkdirSync } from 'node:fs'
import { enableCompileCache } from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'

const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'latchkey', 'compile-cache')
try {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  enableCompileCache(dir)
} catch {
  // Without the cache a start only takes longer.
}
await import('./cli.ts')
