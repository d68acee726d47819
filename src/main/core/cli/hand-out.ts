/**
 * Hands fresh tokens to other tools (`latchkey token`): finds the account, checks that the person
 * allowed command-line tools to use it (or asks in the open window), renews the session through
 * the one scheduler when it expires within the caller's minimum lifetime (single-flight: fifty
 * callers, one refresh), records who asked, and returns the token the backend says other tools
 * should get. Never a refresh token, password or cookie.
 */
import type { AccountRegistry } from '../accounts/registry.ts'
import type { SessionKeeper } from '../app/session-keeper.ts'
import type { ProviderSet } from '../app/provider-set.ts'
import { AppError } from '../errors.ts'
import type { Clock, Logger } from '../ports.ts'
import type { SecretVault } from '../secrets/vault.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { ancestryLine, auditRecord, commandName, keptCaller, tokenLogFields, type AuditLog, type AuditRecord, type Caller } from './audit.ts'
import type { ConsentPrompts } from './consent.ts'
import { HandOutError } from './hand-out-error.ts'
import { accountLine, allowHint, attentionRefusal, consentName, handOutAnswer, minTtlMs, notAllowed, resolveAccount, type AccountLine, type TokenAnswer } from './hand-out-rules.ts'

export type { AccountLine, TokenAnswer } from './hand-out-rules.ts'

export interface TokenRequest {
  /** Id, label, email or `backend:email`; absent = the active account. */
  account?: string
  idToken?: boolean
  /** Renew first when the token expires within this many seconds (default 60). */
  minTtl?: number
  role?: string
  caller: Caller
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
    return this.#deps.registry.list().map((record) => accountLine(record, this.#deps.keeper.state(record.id).status, this.#deps.keeper.facts(record.id), this.#backend(record), active))
  }

  /** The account a command line names (or the active one); HandOutError when none or several match. */
  resolve(query: string | undefined): AccountRecord {
    return resolveAccount(query, this.#deps.registry.list(), this.#deps.registry.activeId(), (record) => this.#backend(record))
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
    const name = consentName(record)
    if (!this.#deps.promptable()) throw notAllowed(record)
    const answer = await this.#deps.consent.ask({
      accountId: record.id,
      account: name,
      command: commandName(caller.command),
      commandLine: caller.command.join(' ') + (ancestryLine(caller.ancestors) === '' ? '' : ` (run by ${ancestryLine(caller.ancestors)})`),
    })
    if (answer === 'deny') throw new HandOutError('denied', `Latchkey was told not to let this command use “${name}”.`, allowHint(record))
    if (answer === 'always' && this.#deps.registry.has(record.id)) this.setAllowed(record.id, true)
  }

  async #handOut(record: AccountRecord, request: TokenRequest): Promise<{ answer: TokenAnswer; kind: string; role?: string }> {
    const id = record.id
    const health = this.#deps.vault.health()
    if (!health.available && this.#deps.keeper.facts(id) === null) {
      throw new HandOutError('keychain', `Latchkey's keychain is unavailable: ${(health.reason ?? 'it did not answer').replace(/\.$/, '')}.`, health.fix)
    }
    const current = this.#deps.registry.require(id)
    const refusal = attentionRefusal(current, this.#deps.keeper.facts(id) !== null)
    if (refusal) throw refusal
    let secrets
    try {
      secrets = await this.#deps.keeper.freshSecrets(id, minTtlMs(request.minTtl))
    } catch (error) {
      const message = error instanceof AppError ? error.message : 'the session could not be renewed.'
      throw new HandOutError('needs-attention', `“${current.label}” needs attention: ${message}`, 'Try again, or sign in again in Latchkey (latchkey open).')
    }
    const fresh = { session: secrets.session, secretConfig: secrets.config }
    return handOutAnswer(current, fresh, request, this.#deps.providers.get(record.provider), this.#backend(current))
  }

  #record(entry: { record: AccountRecord; caller: Caller; kind: string; outcome: AuditRecord['outcome']; role?: string; reason?: string }): void {
    const { record, ...rest } = entry
    const line = auditRecord({ ...rest, at: this.#deps.clock.now(), accountId: record.id })
    try {
      this.#deps.audit?.append(line)
    } catch (error) {
      this.#deps.logger.warn('cli.audit-failed', { accountId: entry.record.id, error: error instanceof Error ? error.message : String(error) })
    }
    this.#deps.logger.info('cli.token', tokenLogFields(line))
    this.#deps.changed(entry.record.id)
  }

  #backend(record: AccountRecord): string {
    return this.#deps.providers.get(record.provider).backendName(record.config)
  }
}
