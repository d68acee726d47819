/** Runs Latchkey's browser shell as a real child process, the way `npm run start:web` does. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

export interface ShellProcess {
  /** The address with this launch's key, read from the private launch page the shell names. */
  url: string
  origin: string
  output(): string
  /** The shell's process id, and whether it is still running. */
  pid: number
  running(): boolean
  stop(): Promise<void>
}

export async function startShell(options: { dataDir: string; env: Record<string, string>; fileLimit?: number }): Promise<ShellProcess> {
  // The bundled main process, as `npm start` runs it (npm run build first); with `fileLimit`, under
  // that `ulimit -n` (bash execs node, so the process is the shell itself).
  const args = ['out/web/cli.js', '--no-open', '--data-dir', options.dataDir]
  const [command, argv] =
    options.fileLimit === undefined ? [process.execPath, args] : ['bash', ['-c', `ulimit -n ${String(options.fileLimit)} && exec "$0" "$@"`, process.execPath, ...args]]
  const child: ChildProcess = spawn(command, argv, {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the shell did not start:\n${output}`)), 20_000)
    const check = (): void => {
      const match = /open this file in your browser: (\S+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolvePromise(urlInLaunchPage(match[1]))
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the shell exited with ${code}:\n${output}`))
    })
  })
  return {
    url,
    origin: new URL(url).origin,
    output: () => output,
    pid: child.pid ?? 0,
    running: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise<void>((resolvePromise) => {
        // Stopped already (it exited, or a signal ended it): nothing to wait for.
        if (child.exitCode !== null || child.signalCode !== null) {
          resolvePromise()
          return
        }
        child.once('exit', () => resolvePromise())
        child.kill('SIGTERM')
      }),
  }
}

/** The address a launch page forwards to. */
export function urlInLaunchPage(file: string): string {
  const href = /content="0;url=([^"]*)"/.exec(readFileSync(file, 'utf8'))?.[1]
  if (!href) throw new Error(`no address in ${file}`)
  return href.replaceAll('&lt;', '<').replaceAll('&quot;', '"').replaceAll('&amp;', '&')
}
