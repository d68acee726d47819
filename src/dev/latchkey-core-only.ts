/**
 * `latchkey` that never answers by itself: every request goes to the running Latchkey or to the
 * headless core it starts. Tests run each request this way and the ordinary way and compare.
 *
 *   node src/dev/latchkey-core-only.ts [latchkey arguments]
 */
import { runCli } from '../cli/main.ts'

process.exitCode = await runCli(process.argv.slice(2), { keychainService: null })
