/** What each `latchkey` request does in the running core, and how a refusal reads on the command line. */
import type { Latchkey } from '../core/app/latchkey.ts'
import { MAX_ANCESTORS, type Ancestor, type Caller } from '../core/cli/audit.ts'
import { HandOutError } from '../core/cli/hand-out-error.ts'
import { isAppError } from '../core/errors.ts'
import type { CliRequest, CliResponse } from './protocol.ts'
import { failure, type CliHandler } from './server.ts'

export interface ShellHooks {
  /** 'electron', 'browser' or 'headless'. */
  kind: string
  /** Brings the window up (on that account, already made active); rejects when this shell has no window. */
  open(): Promise<void>
  /** The headless core steps aside for an app starting on the same data folder; false elsewhere. */
  yieldToApp(): boolean
}

export function cliHandler(latchkey: Latchkey, shell: ShellHooks): CliHandler {
  return async (request) => {
    try {
      return { ok: true, value: await run(latchkey, shell, request) }
    } catch (error) {
      return refusal(error)
    }
  }
}

async function run(latchkey: Latchkey, shell: ShellHooks, request: CliRequest): Promise<unknown> {
  const args = request.args ?? {}
  const account = text(args.account)
  switch (request.op) {
    case 'ping':
      return { shell: shell.kind, pid: process.pid }
    case 'token':
      return latchkey.cliToken({
        ...(account === undefined ? {} : { account }),
        idToken: args.idToken === true,
        ...(typeof args.minTtl === 'number' && Number.isFinite(args.minTtl) ? { minTtl: args.minTtl } : {}),
        ...(text(args.role) === undefined ? {} : { role: text(args.role) }),
        caller: caller(request),
      })
    case 'accounts':
      return latchkey.cliAccounts()
    case 'switch': {
      if (account === undefined) throw new HandOutError('no-account', 'Name the account to switch to.', 'latchkey accounts lists them.')
      await latchkey.loadSecrets()
      const summary = latchkey.switchTo(latchkey.cliResolve(account))
      return { id: summary.id, label: summary.label }
    }
    case 'open': {
      if (account !== undefined) latchkey.switchTo(latchkey.cliResolve(account))
      await shell.open()
      return { shell: shell.kind }
    }
    case 'yield':
      return { yielded: shell.yieldToApp() }
    default:
      throw new HandOutError('unsupported', `Unknown request “${String(request.op)}”.`)
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 500 ? value : undefined
}

function caller(request: CliRequest): Caller {
  const reported = request.caller
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

function refusal(error: unknown): CliResponse {
  if (error instanceof HandOutError) return failure(error.reason, error.message, error.hint)
  if (isAppError(error, 'NOT_FOUND')) return failure('no-account', error.message)
  if (isAppError(error, 'KEYCHAIN_UNAVAILABLE')) return failure('keychain', error.message)
  if (isAppError(error)) return failure('error', error.message)
  throw error
}
