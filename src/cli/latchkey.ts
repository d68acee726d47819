/**
 * `latchkey`: hands fresh tokens from the running Latchkey to other tools. This file only turns on
 * Node's compile cache (in the person's cache folder), so the command itself (main.ts) starts from
 * cached code on later runs.
 */
import { compileCacheDir } from '../main/compile-cache-dir.ts'

const { enableCompileCache } = process.getBuiltinModule('node:module')

// Absent before Node 22.1; the command works without it (and without a cache folder it can write).
;(enableCompileCache as typeof enableCompileCache | undefined)?.(compileCacheDir())
const { runCli } = await import('./main.ts')
process.exitCode = await runCli(process.argv.slice(2))
// A keychain call given up on (see direct.ts) must not hold the exit; the answer is written by now.
setTimeout(() => process.exit(), 200).unref()
