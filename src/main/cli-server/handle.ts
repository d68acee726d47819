/** What each `latchkey` request does in the running core, and how a refusal reads on the command line. */
import type { Latchkey } from '../core/app/latchkey.ts'
import { HandOutError } from '../core/cli/hand-out-error.ts'
import { isAppError } from '../core/errors.ts'
import type { CliRequest, CliResponse } from './protocol.ts'
import { reportedCaller, text, tokenArgs } from './request.ts'
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
      return latchkey.cliToken({ ...tokenArgs(args), caller: reportedCaller(request.caller) })
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

function refusal(error: unknown): CliResponse {
  if (error instanceof HandOutError) return failure(error.reason, error.message, error.hint)
  if (isAppError(error, 'NOT_FOUND')) return failure('no-account', error.message)
  if (isAppError(error, 'KEYCHAIN_UNAVAILABLE')) return failure('keychain', error.message)
  if (isAppError(error)) return failure('error', error.message)
  throw error
}
