/**
 * The `latchkey` command's arguments. Hand-written rather than node:util's parseArgs: importing
 * node:util from an ES module builds its whole export facade (colours, diffs, a stderr stream), a
 * quarter of the command's own time on the hot path.
 */

export interface Parsed {
  positionals: string[]
  dataDir?: string
  json: boolean
  idToken: boolean
  minTtl?: string
  role?: string
  env?: string
  help: boolean
  /** What follows `--` (the command `latchkey exec` runs). */
  command: string[]
}

const VALUED = { '--data-dir': 'dataDir', '--min-ttl': 'minTtl', '--role': 'role', '--env': 'env' } as const
const FLAGS = { '--json': 'json', '--id-token': 'idToken', '--help': 'help', '-h': 'help' } as const

export class ArgumentError extends Error {}

export function parseArguments(argv: readonly string[]): Parsed {
  const parsed: Parsed = { positionals: [], json: false, idToken: false, help: false, command: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--') {
      parsed.command = argv.slice(i + 1)
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg)
      continue
    }
    const equals = arg.indexOf('=')
    const name = equals > 0 ? arg.slice(0, equals) : arg
    if (Object.hasOwn(FLAGS, name)) {
      if (equals > 0) throw new ArgumentError(`Option '${name}' takes no value.`)
      parsed[FLAGS[name as keyof typeof FLAGS]] = true
      continue
    }
    if (!Object.hasOwn(VALUED, name)) throw new ArgumentError(`Unknown option '${name}'.`)
    const value = equals > 0 ? arg.slice(equals + 1) : argv[++i]
    if (value === undefined || (equals < 0 && value.startsWith('--'))) throw new ArgumentError(`Option '${name} <value>' needs a value.`)
    parsed[VALUED[name as keyof typeof VALUED]] = value
  }
  return parsed
}
