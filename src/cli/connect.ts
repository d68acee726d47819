/**
 * Reaching the running Latchkey for this data folder, and starting its core headless (no window, no
 * HTTP) when nothing runs: it takes the data folder's lock, answers on the same socket, and leaves
 * after a few idle minutes.
 */
import { fs } from './builtins.ts'
import type { CliEndpoint } from '../main/cli-server/socket-path.ts'
import { EXIT_LOCK_HELD, PROTOCOL_VERSION, type CliResponse, type Op } from '../main/cli-server/protocol.ts'
import type { CallerInfo } from './caller.ts'

export interface Headless {
  /** The program and arguments that start the core headless on this data folder. */
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
}

export class Unreachable extends Error {}

const START_TIMEOUT_MS = 20_000

/**
 * The running Latchkey's answer; when none runs, `direct`'s (the command answering itself, where it
 * can), else the answer of the core started headless.
 */
export async function ask(endpoint: CliEndpoint, op: Op, args: Record<string, unknown>, caller: CallerInfo, headless: (() => Headless) | null, direct: (() => Promise<CliResponse | null>) | null = null): Promise<CliResponse> {
  const first = await tryAsk(endpoint, op, args, caller)
  if (first !== null) return first
  const answered = direct === null ? null : await direct()
  if (answered !== null) return answered
  if (headless === null) throw new Unreachable('Latchkey is not running.')
  // One caller starts it; callers at the same moment wait for that one.
  const started = claimStart(endpoint) ? startHeadless(headless()) : null
  const deadline = Date.now() + START_TIMEOUT_MS
  for (let wait = 5; Date.now() < deadline; wait = Math.min(wait * 2, 50)) {
    const exited = started?.exited() ?? null
    const answer = await tryAsk(endpoint, op, args, caller)
    if (answer !== null) return answer
    if (exited !== null) fs.rmSync(`${endpoint.keyFile}.starting`, { force: true })
    if (exited !== null) throw new Unreachable(`Latchkey could not start in the background (${exited}); see its log in the data folder.`)
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
  throw new Unreachable('Latchkey did not answer in time after starting in the background.')
}

/** The answer, or null when nothing listens (no key file, no socket, a stale socket). */
export async function tryAsk(endpoint: CliEndpoint, op: Op, args: Record<string, unknown>, caller: CallerInfo): Promise<CliResponse | null> {
  let key: string
  try {
    key = fs.readFileSync(endpoint.keyFile, 'utf8').trim()
  } catch {
    return null
  }
  // Loaded only when something may listen: node:net brings Node's streams (milliseconds on this path).
  const net = process.getBuiltinModule('node:net')
  return new Promise((resolve, reject) => {
    const received: Buffer[] = []
    let sent = false
    let settled = false
    // The answer is one line: taken as soon as it is in, without waiting for the end of the connection.
    const answer = (line: string | null): void => {
      if (settled) return
      settled = true
      // Closed once this turn is over: the command has printed the answer and left by then (see
      // latchkey.ts), and the server ends the connection after its line anyway. Closing it now
      // would build the process's stderr stream (net's socket teardown looks at it) for nothing.
      setImmediate(() => socket.destroy())
      try {
        resolve(line === null ? null : (JSON.parse(line) as CliResponse))
      } catch {
        // Answered nothing: the app is stopping, or the key changed under us (a new launch).
        resolve(null)
      }
    }
    // The answer is read into one buffer of our own, without the stream's reading machinery (Node's
    // `onread`): bytes until the first newline, decoded once.
    const buffer = Buffer.allocUnsafe(16 * 1024)
    const socket = net.connect({
      path: endpoint.socket,
      onread: {
        buffer,
        callback: (size: number): boolean => {
          if (settled) return true
          const chunk = buffer.subarray(0, size)
          const end = chunk.indexOf(10)
          if (end < 0) received.push(Buffer.from(chunk))
          else answer(Buffer.concat([...received, chunk.subarray(0, end)]).toString('utf8'))
          return true
        },
      },
    })
    socket.on('connect', () => {
      sent = true
      socket.write(`${JSON.stringify({ v: PROTOCOL_VERSION, key, op, args, caller })}\n`)
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return
      settled = true
      if (!sent && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) resolve(null)
      else reject(new Unreachable(`Latchkey's socket failed (${error.code ?? error.message}).`))
    })
    socket.on('close', () => {
      if (sent) answer(null)
    })
  })
}

function claimStart(endpoint: CliEndpoint): boolean {
  const marker = `${endpoint.keyFile}.starting`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(marker, String(process.pid), { flag: 'wx', mode: 0o600 })
      return true
    } catch {
      try {
        if (Date.now() - fs.statSync(marker).mtimeMs < START_TIMEOUT_MS) return false
        fs.rmSync(marker, { force: true })
      } catch {
        // gone meanwhile: try again
      }
    }
  }
  return false
}

function startHeadless(headless: Headless): { exited(): string | null } {
  // Loaded only here: not on the path of a call the running app answers.
  const { spawn } = process.getBuiltinModule('node:child_process')
  let exited: string | null = null
  const child = spawn(headless.command, headless.args, { detached: true, stdio: 'ignore', env: headless.env })
  child.once('error', (error) => (exited = error.message))
  child.once('exit', (code, signal) => {
    if (code !== EXIT_LOCK_HELD) exited = signal ?? `exit code ${String(code)}`
  })
  child.unref()
  return { exited: () => exited }
}
