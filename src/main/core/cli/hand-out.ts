/**
 * Hands fresh tokens to other tools (`latchkey token`): finds the account, checks that the person
 * allowed command-line tools to use it (or asks in the open window), renews the session through
 * the one scheduler when it expires within the caller's minimum lifetime (single-flight: fifty
 * callers, one refresh), records who asked, and returns the token the backend says other tools
 * should get. Never a refresh token, password or cookie.
 */
import { decodeJwt } from 'jose'
import type { AccountRegistry } from '../accounts/registry.ts'
import type { SessionKeeper } from '../app/session-keeper.ts'
import type { ProviderSet } from '../app/provider-set.ts'
import { AppError } from '../errors.ts'
import type { Clock, Logger } from '../ports.ts'
import type { HandOut } from '../provider.ts'
import type { SecretVault } from '../secrets/vault.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { ancestryLine, auditRecord, commandName, keptCaller, type AuditLog, type AuditRecord, type Caller } from './audit.ts'
import type { ConsentPrompts } from './consent.ts'
import { findAccount, type Named } from './find-account.ts'
import { HandOutError } from './hand-out-error.ts'
import { minTtlMs } from './hand-out-rules.ts'

export interface TokenRequest {
  /** Id, label, email or `backend:email`; absent = the active account. */
  account?: string
  idToken?: boolean
  /** Renew first when the token expires within this many seconds (default 60). */
  minTtl?: number
  role?: string
  caller: Caller
}

export interface TokenAnswer {
  token: string
  /** ISO time, or null when the backend did not say. */
  expiresAt: string | null
  backend: string
  provider: string
  accountId: string
  role?: string
}

export interface AccountLine {
  id: string
  label: string
  provider: string
  backend: string
  email: string | null
  status: string
  expiresAt: string | null
  active: boolean
  cliAccess: boolean
}

export interface HandOutDeps {
  registry: AccountRegistry
  keeper: SessionKeeper
  providers: ProviderSet
  vault: SecretVault
  clock: Clock
  logger: Logger
  audit: AuditLog | null
  consent: ConsentPrompts
  /** True while a window can show the consent question. */
  promptable: () => boolean
  /** Waits for the keychain read the shell may not have started yet. */
  ready: () => Promise<void>
  changed: (id: string) => void
}


export class TokenHandOut {
  readonly #deps: HandOutDeps

  constructor(deps: HandOutDeps) {
    this.#deps = deps
  }

  /** Every account, for `latchkey accounts`: no secret. */
  accounts(): AccountLine[] {
    const active = this.#deps.registry.activeId()
    return this.#deps.registry.list().map((record) => {
      const state = this.#deps.keeper.state(record.id)
      const session = this.#deps.keeper.session(record.id)
      return {
        id: record.id,
        label: record.label,
        provider: record.provider,
        backend: this.#backend(record),
        email: record.identity.email,
        status: state.status,
        expiresAt: session?.expiresAt != null ? new Date(session.expiresAt).toISOString() : record.expiresAt,
        active: record.id === active,
        cliAccess: record.cliAccess === true,
      }
    })
  }

  /** The account a command line names (or the active one); HandOutError when none or several match. */
  resolve(query: string | undefined): AccountRecord {
    if (query === undefined || query === '') {
      const active = this.#deps.registry.activeId()
      const record = active === null ? undefined : this.#deps.registry.get(active)
      if (!record) throw new HandOutError('no-account', 'Latchkey has no active account.', 'Name one: latchkey accounts lists them.')
      return record
    }
    const named: Named[] = this.#deps.registry.list().map((record) => ({ record, backend: this.#backend(record) }))
    const found = findAccount(query, named)
    if (found.kind === 'one') return found.record
    if (found.kind === 'many') throw new HandOutError('ambiguous', `“${query}” matches ${String(found.names.length)} accounts: ${found.names.join(', ')}.`, 'Name it by id or backend:email.')
    const closest = found.closest.length > 0 ? ` Closest: ${found.closest.join(', ')}.` : named.length === 0 ? ' Latchkey has no accounts yet.' : ''
    throw new HandOutError('no-account', `No account matches “${query}”.${closest}`, 'latchkey accounts lists them.')
  }

  async token(request: TokenRequest): Promise<TokenAnswer> {
    await this.#deps.ready()
    const record = this.resolve(request.account)
    const caller = keptCaller(request.caller)
    const kind = request.idToken === true ? 'id' : 'access'
    try {
      await this.#consent(record, caller)
      const answer = await this.#handOut(record, request)
      this.#record({ record, caller, kind: answer.kind, outcome: 'handed-out', ...(answer.role === undefined ? {} : { role: answer.role }) })
      return answer.answer
    } catch (error) {
      if (error instanceof HandOutError) this.#record({ record, caller, kind, outcome: 'refused', reason: error.reason })
      throw error
    }
  }

  /** Turns command-line access for one account on or off. */
  setAllowed(id: string, allowed: boolean): void {
    this.#deps.registry.update(id, { cliAccess: allowed })
    this.#deps.logger.info('cli.access', { accountId: id, allowed })
    this.#deps.changed(id)
  }

  audit(id: string, limit = 50): AuditRecord[] {
    return this.#deps.audit?.list(id, limit) ?? []
  }

  async #consent(record: AccountRecord, caller: Caller): Promise<void> {
    if (record.cliAccess === true) return
    const name = record.identity.email ?? record.label
    const hint = `Allow it in Latchkey: open the account “${record.label}”, then turn on “Allow command-line tools”.`
    if (!this.#deps.promptable()) {
      throw new HandOutError('not-allowed', `Command-line tools may not use “${name}”.`, hint)
    }
    const answer = await this.#deps.consent.ask({
      accountId: record.id,
      account: name,
      command: commandName(caller.command),
      commandLine: caller.command.join(' ') + (ancestryLine(caller.ancestors) === '' ? '' : ` (run by ${ancestryLine(caller.ancestors)})`),
    })
    if (answer === 'deny') throw new HandOutError('denied', `Latchkey was told not to let this command use “${name}”.`, hint)
    if (answer === 'always' && this.#deps.registry.has(record.id)) this.setAllowed(record.id, true)
  }

  async #handOut(record: AccountRecord, request: TokenRequest): Promise<{ answer: TokenAnswer; kind: string; role?: string }> {
    const id = record.id
    const health = this.#deps.vault.health()
    if (!health.available && this.#deps.keeper.session(id) === null) {
      throw new HandOutError('keychain', `Latchkey's keychain is unavailable: ${(health.reason ?? 'it did not answer').replace(/\.$/, '')}.`, health.fix)
    }
    const current = this.#deps.registry.require(id)
    if (current.signedOut || this.#deps.keeper.session(id) === null) {
      throw new HandOutError('needs-attention', `“${current.label}” needs attention: ${current.attention?.message ?? 'it is signed out.'}`, 'Sign in again in Latchkey (latchkey open).')
    }
    const reason = current.attention?.reason
    if (reason === 'refresh-rejected' || reason === 'revoked' || reason === 'expired') {
      throw new HandOutError('needs-attention', `“${current.label}” needs attention: ${current.attention?.message ?? reason}`, 'Sign in again in Latchkey (latchkey open).')
    }
    let session
    try {
      session = await this.#deps.keeper.freshSession(id, minTtlMs(request.minTtl))
    } catch (error) {
      const message = error instanceof AppError ? error.message : 'the session could not be renewed.'
      throw new HandOutError('needs-attention', `“${current.label}” needs attention: ${message}`, 'Try again, or sign in again in Latchkey (latchkey open).')
    }
    const provider = this.#deps.providers.get(record.provider)
    const options = { idToken: request.idToken === true, role: request.role ?? null }
    let handOut: HandOut
    try {
      handOut = provider.handOut
        ? provider.handOut({ config: { ...current.config, ...this.#deps.keeper.secretConfig(id) }, session, identity: current.identity, label: current.label }, options)
        : defaultHandOut(session, options)
    } catch (error) {
      if (error instanceof AppError) throw new HandOutError('unsupported', error.message)
      throw error
    }
    return {
      kind: handOut.kind,
      ...(handOut.role === undefined ? {} : { role: handOut.role }),
      answer: {
        token: handOut.token,
        expiresAt: handOut.expiresAt === null ? null : new Date(handOut.expiresAt).toISOString(),
        backend: this.#backend(current),
        provider: current.provider,
        accountId: id,
        ...(handOut.role === undefined ? {} : { role: handOut.role }),
      },
    }
  }

  #record(entry: { record: AccountRecord; caller: Caller; kind: string; outcome: AuditRecord['outcome']; role?: string; reason?: string }): void {
    const { record, ...rest } = entry
    const line = auditRecord({ ...rest, at: this.#deps.clock.now(), accountId: record.id })
    try {
      this.#deps.audit?.append(line)
    } catch (error) {
      this.#deps.logger.warn('cli.audit-failed', { accountId: entry.record.id, error: error instanceof Error ? error.message : String(error) })
    }
    this.#deps.logger.info('cli.token', { accountId: entry.record.id, outcome: entry.outcome, kind: entry.kind, pid: entry.caller.pid })
    this.#deps.changed(entry.record.id)
  }

  #backend(record: AccountRecord): string {
    return this.#deps.providers.get(record.provider).backendName(record.config)
  }
}

/** The session's own access (or ID) token; a cookie session has nothing another tool should get. */
function defaultHandOut(session: { accessToken: string; idToken: string | null; tokenType: string; expiresAt: number | null }, options: { idToken: boolean; role: string | null }): HandOut {
  if (options.role !== null) throw new AppError('UNSUPPORTED', 'This backend has no roles to choose from (--role).')
  if (session.tokenType.toLowerCase() === 'cookie') throw new AppError('UNSUPPORTED', 'This account holds a browser session, which Latchkey never hands out.')
  if (options.idToken) {
    if (session.idToken === null) throw new AppError('UNSUPPORTED', 'This account has no ID token.')
    return { token: session.idToken, expiresAt: idTokenExpiry(session.idToken) ?? session.expiresAt, kind: 'id' }
  }
  return { token: session.accessToken, expiresAt: session.expiresAt, kind: 'access' }
}

function idTokenExpiry(token: string): number | null {
  try {
    const exp = decodeJwt(token).exp
    return typeof exp === 'number' ? exp * 1000 : null
  } catch {
    return null
  }
}
