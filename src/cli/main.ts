/**
 * The `latchkey` command:
 *
 *   latchkey token [ACCOUNT] [--id-token] [--min-ttl 60] [--role ROLE] [--json]
 *   latchkey accounts [--json]
 *   latchkey exec [ACCOUNT] [--env NAME] -- CMD …
 *   latchkey switch ACCOUNT
 *   latchkey open [ACCOUNT]
 *
 * Options for every command: --data-dir DIR (else $LATCHKEY_DATA_DIR, else Latchkey's own folder).
 * It asks the running Latchkey over its local socket and, when none runs, starts the core headless.
 * Node built-ins only: this is on the hot path of every call.
 */
import { join } from 'node:path'
import { EXIT_CODES, type CliResponse, type Op } from '../main/cli-server/protocol.ts'
import { cliEndpoint } from '../main/cli-server/socket-path.ts'
import { defaultDataDir } from '../main/web/data-dir.ts'
import type { AccountLine } from '../main/core/cli/hand-out-rules.ts'
import { fs } from './builtins.ts'
import { ArgumentError, parseArguments, type Parsed } from './args.ts'
import { execCaller, parentCaller, type CallerInfo } from './caller.ts'
import { ask, Unreachable, type Headless } from './connect.ts'
import { keychainServiceName } from '../main/adapters/keychain-worker/client.ts'

export interface CliOptions {
  /** How to start the core headless (default: Node running out/web/headless.js next to this bundle). */
  headless?: (dataDir: string) => Headless
  /** How to start the app for `latchkey open` when nothing runs (null: say how to start it). */
  startApp?: ((dataDir: string) => void) | null
  /** The keychain service holding the vault key, for answering a still-valid token without the core (null: never). */
  keychainService?: string | null
  out?: (text: string) => void
  err?: (text: string) => void
  /** Runs before what only a command with nothing running loads or starts (Node's entry turns on the compile cache there). */
  beforeLoading?: () => void
}

const USAGE = `Usage:
  latchkey token [ACCOUNT] [--id-token] [--min-ttl SECONDS] [--role ROLE] [--json]
  latchkey accounts [--json]
  latchkey exec [ACCOUNT] [--env NAME] -- COMMAND [ARGS…]
  latchkey switch ACCOUNT
  latchkey open [ACCOUNT]
ACCOUNT is an id, label, email or backend:email; none means the active account.
Every command takes --data-dir DIR (default: $LATCHKEY_DATA_DIR, else Latchkey's own folder).`

class UsageError extends Error {}

export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const out = options.out ?? ((text: string) => write(1, text))
  const err = options.err ?? ((text: string) => write(2, text))
  const fail = (code: number, message: string): number => {
    err(`latchkey: ${message.replace(/\s*\n\s*/g, ' ')}\n`)
    return code
  }
  let values: Parsed
  try {
    values = parseArguments(argv)
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error
    return fail(EXIT_CODES.usage, `${error.message} (latchkey --help)`)
  }
  const { positionals, command } = values
  const [verb, ...rest] = positionals
  if (values.help || verb === 'help') {
    out(`${USAGE}\n`)
    return EXIT_CODES.ok
  }
  const dataDir = values.dataDir ?? defaultDataDir()
  const endpoint = cliEndpoint(dataDir)
  // Worked out only when nothing answers: not on the path of a call the running app answers.
  const headless = (): Headless => {
    options.beforeLoading?.()
    return (options.headless ?? nodeHeadless)(dataDir)
  }
  const service = options.keychainService === undefined ? keychainServiceName(false) : options.keychainService
  // With nothing running, `token` and `accounts` may be answered without the core (see direct.ts).
  const direct = (op: Op, args: Record<string, unknown>, caller: CallerInfo) =>
    (op !== 'token' && op !== 'accounts') || service === null
      ? null
      : async (): Promise<CliResponse | null> => {
          options.beforeLoading?.()
          const { directAnswer } = await import('./direct.ts')
          return directAnswer(dataDir, op, args, caller, service)
        }
  const call = async (op: Op, args: Record<string, unknown>, caller: CallerInfo = parentCaller(), start = true): Promise<unknown> => {
    const response: CliResponse = await ask(endpoint, op, args, caller, start ? headless : null, start ? direct(op, args, caller) : null)
    if (response.ok) return response.value
    throw Object.assign(new Error(response.hint ? `${response.message} ${response.hint}` : response.message), { exit: EXIT_CODES[response.reason] as number | undefined ?? EXIT_CODES.error })
  }
  try {
    switch (verb) {
      case 'token': {
        const account = optionalAccount(rest)
        const answer = (await call('token', tokenArgs(account, values))) as { token: string }
        out(values.json ? `${JSON.stringify(answer)}\n` : `${answer.token}\n`)
        return EXIT_CODES.ok
      }
      case 'accounts': {
        if (rest.length > 0) throw new UsageError('accounts takes no account name.')
        const lines = (await call('accounts', {})) as AccountLine[]
        out(values.json ? `${JSON.stringify(lines)}\n` : table(lines))
        return EXIT_CODES.ok
      }
      case 'exec':
        return await exec(rest, values, command, call, fail)
      case 'switch': {
        if (rest.length !== 1) throw new UsageError('switch takes one account name.')
        const switched = (await call('switch', { account: rest[0] })) as { label: string }
        out(`Latchkey's active account is now “${switched.label}”.\n`)
        return EXIT_CODES.ok
      }
      case 'open': {
        const account = optionalAccount(rest)
        try {
          await call('open', account === undefined ? {} : { account }, parentCaller(), false)
        } catch (error) {
          if (!(error instanceof Unreachable) && !(error instanceof Error && (error as { exit?: number }).exit === EXIT_CODES.unsupported)) throw error
          if (!options.startApp) throw new Unreachable('Latchkey is not running with a window. Start Latchkey, then run latchkey open again.')
          await call('yield', {}, parentCaller(), false).catch(() => undefined)
          options.startApp(dataDir)
        }
        return EXIT_CODES.ok
      }
      case undefined:
        throw new UsageError('Name a command.')
      default:
        throw new UsageError(`Unknown command “${verb}”.`)
    }
  } catch (error) {
    if (error instanceof UsageError) return fail(EXIT_CODES.usage, `${error.message} (latchkey --help)`)
    if (error instanceof Unreachable) return fail(EXIT_CODES.unreachable, error.message)
    const exit = (error as { exit?: number }).exit
    return fail(typeof exit === 'number' ? exit : EXIT_CODES.error, error instanceof Error ? error.message : String(error))
  }
}


type Values = Pick<Parsed, 'json' | 'idToken' | 'minTtl' | 'role' | 'env'>

/**
 * Straight to the file descriptor: process.stdout would build a stream (a few milliseconds) for one
 * line. A descriptor another program left non-blocking falls back to the stream.
 */
function write(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  let done = 0
  try {
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
    queued = true
    ;(fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(done))
  }
}

let queued = false

/** True once some output went to a stream (see write): it may still be on its way, so the process must not exit at once. */
export function outputQueued(): boolean {
  return queued
}

function optionalAccount(rest: string[]): string | undefined {
  if (rest.length > 1) throw new UsageError(`One account at a time (got ${String(rest.length)}).`)
  return rest[0]
}

function tokenArgs(account: string | undefined, values: Values): Record<string, unknown> {
  const args: Record<string, unknown> = { idToken: values.idToken }
  if (account !== undefined) args.account = account
  if (values.minTtl !== undefined) {
    const seconds = Number(values.minTtl)
    if (!/^\d+$/.test(values.minTtl) || seconds > 86_400) throw new UsageError('--min-ttl takes whole seconds, up to 86400.')
    args.minTtl = seconds
  }
  if (values.role !== undefined) args.role = values.role
  return args
}

async function exec(rest: string[], values: Values, command: string[], call: (op: Op, args: Record<string, unknown>, caller?: CallerInfo) => Promise<unknown>, fail: (code: number, message: string) => number): Promise<number> {
  const account = optionalAccount(rest)
  const name = values.env ?? 'LATCHKEY_TOKEN'
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--env takes an environment variable name (letters, digits, _), not “${name}”.`)
  if (command.length === 0 || command[0] === undefined) throw new UsageError('exec needs a command after --.')
  // The program that will hold the token is the caller the person is asked about and the audit names.
  // Above it, the processes that ran `latchkey exec` (the script that asked).
  const answer = (await call('token', tokenArgs(account, values), await execCaller(command))) as { token: string }
  const [program, ...args] = command
  const { spawn } = process.getBuiltinModule('node:child_process')
  const child = spawn(program, args, { stdio: 'inherit', env: { ...process.env, [name]: answer.token } })
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal)
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return new Promise((resolve) => {
    child.once('error', (error) => resolve(fail(127, `${program}: ${error.message}`)))
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1))
    })
  })
}

function table(lines: AccountLine[]): string {
  if (lines.length === 0) return 'No accounts in Latchkey yet.\n'
  const rows = lines.map((a) => [
    `${a.active ? '*' : ' '} ${a.id}`,
    a.label,
    `${a.provider}:${a.email ?? a.backend}`,
    a.status,
    a.expiresAt ?? '-',
    a.cliAccess ? 'allowed' : 'off',
  ])
  const header = ['  ID', 'LABEL', 'ACCOUNT', 'STATUS', 'EXPIRES', 'COMMAND LINE']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n'
}

/** Node (development, the browser shell's install): the headless core bundled next to this one. */
function nodeHeadless(dataDir: string): Headless {
  const fromSource = import.meta.filename.endsWith('.ts')
  const entry = fromSource ? join(import.meta.dirname, '../main/headless/cli.ts') : join(import.meta.dirname, '../web/headless.js')
  // The core starts from this command's compile cache (about 1 MB of code it need not compile again).
  const cache = process.getBuiltinModule('node:module').getCompileCacheDir()
  return {
    command: process.execPath,
    args: [entry, '--data-dir', dataDir],
    env: { ...process.env, LATCHKEY_DATA_DIR: dataDir, ...(cache === undefined ? {} : { NODE_COMPILE_CACHE: cache }) },
  }
}
