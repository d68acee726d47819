/**
 * `latchkey`: hands fresh tokens from the running Latchkey to other tools. The whole command is this
 * one bundled file (out/cli/latchkey.js, see vite.cli.config.ts): on the way to the running app's
 * answer Node resolves, reads and compiles one file, not a second one as well. What only a command
 * with nothing running needs (answering by itself, starting the core) is in chunks of its own, loaded
 * from Node's compile cache, turned on (in the person's cache folder) only on that path; the core
 * it starts uses the same cache. No top-level await: the bundle is CommonJS.
 *
 * The Electron binary (`--latchkey-cli`) imports this file for runCli; run that way it does nothing by itself.
 */
import { useCompileCache } from '../main/compile-cache-dir.ts'
import { outputQueued, runCli } from './main.ts'

export { runCli }

if (import.meta.main) {
  void runCli(process.argv.slice(2), { beforeLoading: useCompileCache }).then((code) => {
    // The answer went straight to the descriptors (see main.ts): leave now, without waiting for the
    // socket to the running Latchkey to close (that teardown builds a stderr stream for nothing).
    if (!outputQueued()) process.exit(code)
    process.exitCode = code
    // A keychain call given up on (see direct.ts) must not hold the exit; the answer is written by now.
    setTimeout(() => process.exit(), 200).unref()
  })
}
