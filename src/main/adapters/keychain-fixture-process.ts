/** Drives keytar-secret-store.fixture.ts in a child process: one JSON command in, one JSON line out. */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const fixture = join(import.meta.dirname, 'keytar-secret-store.fixture.ts')

export interface FixtureProcess {
  child: ChildProcess
  ask(command: Record<string, unknown>): Promise<Record<string, unknown>>
  /** Sends a command without waiting for its answer. */
  send(command: Record<string, unknown>): void
  /** The next line the fixture prints (a command's answer, or what it announces before it). */
  next(): Promise<Record<string, unknown>>
  quit(): Promise<void>
}

export function startFixture(dataDir: string, service: string, env: Record<string, string>): FixtureProcess {
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' }
  const child = spawn(process.execPath, [fixture, dataDir, service], { env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'inherit'] })
  const waiting: ((line: string) => void)[] = []
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line))
  const send = (command: Record<string, unknown>): void => {
    child.stdin.write(`${JSON.stringify(command)}\n`)
  }
  const next = (what: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${what}`)), 30_000)
      waiting.push((line) => {
        clearTimeout(timer)
        resolve(JSON.parse(line) as Record<string, unknown>)
      })
    })
  return {
    child,
    send,
    next: () => next('the command sent'),
    ask(command) {
      const answer = next(JSON.stringify(command))
      send(command)
      return answer
    },
    quit: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve()
          return
        }
        child.once('exit', () => resolve())
        send({ op: 'quit' })
      }),
  }
}
