/**
 * What a request to the core may say, as the core takes it, and how a refusal is answered: the account named, the options of
 * `latchkey token`, and the caller (read from /proc for the process id it names, or as it described itself). Shared by the
 * core's handler and the `latchkey` command answering by itself, so both read a request the same way. Light imports only.
 */
import { MAX_ANCESTORS, type Ancestor, type Caller } from '../core/cli/audit.ts'
import { ancestorsOf, commandLineOf } from './caller-process.ts'
import type { CliRequest, CliResponse, FailureReason } from './protocol.ts'

export interface TokenArgs {
  account?: string
  idToken: boolean
  minTtl?: number
  role?: string
}

/** A short non-empty string, else absent. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 500 ? value : undefined
}

/** The options of `latchkey token` in a request's arguments. */
export function tokenArgs(args: Record<string, unknown>): TokenArgs {
  const account = text(args.account)
  const role = text(args.role)
  return {
    ...(account === undefined ? {} : { account }),
    idToken: args.idToken === true,
    ...(typeof args.minTtl === 'number' && Number.isFinite(args.minTtl) ? { minTtl: args.minTtl } : {}),
    ...(role === undefined ? {} : { role }),
  }
}

/**
 * The caller a request names: a process id alone is the command's parent, whose command line and
 * the processes above it are read here (what the command would have read itself, and as little
 * verified: any local process can name any pid); a caller that describes itself (`latchkey exec`,
 * and commands before protocol 2) is taken as described, its process and at most MAX_ANCESTORS
 * processes above it.
 */
export function reportedCaller(reported: CliRequest['caller']): Caller {
  if (reported !== undefined && reported.command === undefined) {
    const { pid } = reportedProcess(reported)
    if (pid === null) return { pid, command: [] }
    const ancestors = ancestorsOf(pid)
    return { pid, command: commandLineOf(pid), ...(ancestors.length > 0 ? { ancestors } : {}) }
  }
  const ancestors = (Array.isArray(reported?.ancestors) ? reported.ancestors.slice(0, MAX_ANCESTORS) : [])
    .map((ancestor) => reportedProcess(ancestor))
    .filter((ancestor): ancestor is Ancestor => ancestor.pid !== null)
  return { ...reportedProcess(reported), ...(ancestors.length > 0 ? { ancestors } : {}) }
}

/** A process as the caller described it: a positive integer pid (else null) and the strings of its command line. */
function reportedProcess(reported: { pid?: unknown; command?: unknown } | undefined): { pid: number | null; command: string[] } {
  const pid = typeof reported?.pid === 'number' && Number.isInteger(reported.pid) && reported.pid > 0 ? reported.pid : null
  const command = Array.isArray(reported?.command) ? reported.command.filter((part): part is string => typeof part === 'string') : []
  return { pid, command }
}

export function failure(reason: FailureReason, message: string, hint: string | null = null): CliResponse {
  return { ok: false, reason, message, hint }
}
