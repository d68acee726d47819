/**
 * `latchkey`: hands fresh tokens from the running Latchkey to other tools. This file only turns on
 * Node's compile cache (in the person's cache folder), so the command itself (main.ts) starts from
 * cached code on later runs. No top-level await: the bundle is CommonJS (see vite.cli.config.ts).
 */
import { useCompileCache } from '../main/compile-cache-dir.ts'

useCompileCache()
void import('./main.ts').then(async ({ runCli, outputQueued }) => {
  const code = await runCli(process.argv.slice(2))
  // The answer went straight to the descriptors (see main.ts): leave now, without waiting for the
  // socket to the running Latchkey to close (that teardown builds a stderr stream for nothing).
  if (!outputQueued()) process.exit(code)
  process.exitCode = code
  // A keychain call given up on (see direct.ts) must not hold the exit; the answer is written by now.
  setTimeout(() => process.exit(), 200).unref()
})
