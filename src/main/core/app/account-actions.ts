/**
 * Account actions beyond sign-in (profile, password, email, impersonation): the provider draws the
 * forms and does the work; this keeps the account's record and session in step with what it did.
 */
import type { AccountAction, FormValues } from '../../../shared/contract.ts'
import { AppError } from '../errors.ts'
import type { ExternalBrowser } from '../ports.ts'
import type { ProviderAccount, ProviderContext } from '../provider.ts'
import { adoptSignedIn, type AdoptDeps } from './adopt-account.ts'

/**
 * An access token with less than this left is renewed before an account's forms are listed or an
 * action runs: a computer waking from sleep opens an account before its renewal has run, and the
 * server would refuse the old token as if the session had ended.
 */
const ACTION_MIN_TTL_MS = 30_000

export interface ActionRun {
  message: string
  /** The id of an account the action added (impersonation), else null. */
  created: string | null
}

export class AccountActions {
  readonly #deps: AdoptDeps & { browser?: ExternalBrowser }

  constructor(deps: AdoptDeps & { browser?: ExternalBrowser }) {
    this.#deps = deps
  }

  /** The forms a signed-in account offers; none for a signed-out one or a backend without any. */
  async list(id: string): Promise<AccountAction[]> {
    const record = this.#deps.registry.require(id)
    const provider = this.#deps.providers.get(record.provider)
    if (!provider.actions || this.#deps.keeper.state(id).status === 'signed-out') return []
    await this.#deps.keeper.settled(id)
    await this.#renewIfExpiring(id)
    const account = this.#account(id)
    if (!account) return []
    try {
      return await provider.actions(account, this.#ctx())
    } catch (error) {
      // The server no longer takes this session: that is news about the account, not a failed list.
      if (!(error instanceof AppError && error.code === 'REFRESH_REJECTED')) throw error
      // Only if that is still the account's session: a new sign-in meanwhile is not what was refused.
      if (this.#deps.keeper.session(id)?.accessToken === account.session.accessToken) this.#deps.keeper.ended(id, error.message)
      return []
    }
  }

  async run(id: string, form: string, action: string, values: FormValues): Promise<ActionRun> {
    const { registry, keeper, providers, logger } = this.#deps
    const record = registry.require(id)
    const provider = providers.get(record.provider)
    if (!provider.runAction) throw new AppError('UNSUPPORTED', 'This backend has no account actions.')
    const runAction = provider.runAction.bind(provider)
    await this.#renewIfExpiring(id)
    // No scheduled refresh may use the token while the action might rotate it.
    return keeper.holding(id, async () => {
      const account = this.#account(id)
      if (!account) throw new AppError('NOT_FOUND', 'This account is not signed in. Sign in again first.')
      const result = await runAction(account, form, action, values, this.#ctx())
      if (result.identity || result.profile || result.config || result.credentials) {
        registry.update(id, {
          ...(result.identity ? { identity: result.identity } : {}),
          ...(result.profile ? { profile: result.profile } : {}),
          ...(result.credentials ? { credentials: result.credentials } : {}),
          ...(result.config ? { config: { ...record.config, ...result.config } } : {}),
        })
      }
      if (result.secretConfig) await keeper.replaceSecretConfig(id, result.secretConfig)
      if (result.session) await keeper.adopt(id, result.session, keeper.secretConfig(id))
      else if (result.sessionEnded) keeper.ended(id, result.sessionEnded)
      const created = result.created
        ? await adoptSignedIn(
            this.#deps,
            { kind: record.provider, config: result.created.config, label: result.created.label, accountId: undefined },
            result.created.signedIn,
            { activate: false },
          )
        : null
      if (result.openInBrowser !== undefined) await this.#deps.browser?.open(result.openInBrowser, 'sign-in')
      logger.info('account.action', { accountId: id, form, action, ...(created ? { created } : {}) })
      return { message: result.message, created }
    })
  }

  /**
   * Renews an access token about to expire (single-flight with the scheduler's renewals). A renewal
   * that fails leaves the stored session as it is: a refused one has marked the account already,
   * and otherwise the backend's own answer to the old token says what the server thinks of it.
   */
  async #renewIfExpiring(id: string): Promise<void> {
    if (!this.#deps.keeper.session(id)) return
    try {
      await this.#deps.keeper.freshSession(id, ACTION_MIN_TTL_MS)
    } catch {
      // See above: the action goes on with what is stored.
    }
  }

  #account(id: string): ProviderAccount | null {
    const record = this.#deps.registry.require(id)
    const { session, config } = this.#deps.keeper.secrets(id)
    if (!session) return null
    return { config: { ...record.config, ...config }, session, identity: record.identity, label: record.label }
  }

  #ctx(): ProviderContext {
    return { clock: this.#deps.clock, logger: this.#deps.logger }
  }
}
