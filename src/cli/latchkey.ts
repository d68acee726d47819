/**
 * `latchkey`: hands fresh tokens from the running Latchkey to other tools. This file only turns on
 * Node's compile cache, so the command itself (main.ts) starts from cached code on later runs.
 */
import { enableCompileCache } from 'node:module'

// Absent before Node 22.1; the command works without it.
;(enableCompileCache as typeof enableCompileCache | undefined)?.()
const { runCli } = await import('./main.ts')
process.exitCode = await runCli(process.argv.slice(2))
