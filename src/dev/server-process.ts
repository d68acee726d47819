/**
 * A real server the tests run as a child process (ORY Hydra, the zitadel/oidc provider): started
 * with its settings in the environment, the last 20,000 characters it wrote kept in memory (for a
 * failed start's explanation; nothing is written anywhere), and stopped with SIGTERM, then SIGKILL
 * after five seconds.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'

export interface ServerProcess {
  child: ChildProcess
  exited: Promise<void>
  /** The last 20,000 characters the server wrote. */
  output: () => string
}

export function launchServer(binary: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): ServerProcess {
  const child = spawn(binary, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: string): void => {
    output = (output + chunk).slice(-20_000)
  }
  child.stdout.setEncoding('utf8').on('data', keep)
  child.stderr.setEncoding('utf8').on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { child, exited, output: () => output }
}

export async function stopServer({ child, exited }: ServerProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
