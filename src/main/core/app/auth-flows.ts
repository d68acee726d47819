/**
 * Sign-in attempts (begin → browser → complete, or cancel), sign in again, and sign-out.
 * The URL opened in the browser is always one a provider built, never one from the renderer.
 */
import { randomUUID } from 'node:crypto'
import type { AuthStage, AuthStep, BackendConfigInput, ProviderKind, SignOutOutcome } from '../../../shared/contract.ts'
import type { AccountRegistry } from '../accounts/registry.ts'
import { AppError } from '../errors.ts'
import type { Clock, ExternalBrowser, Logger } from '../ports.ts'
import type { BackendConfig, BrowserSignIn, ProviderContext } from '../provider.ts'
import type { SignedIn } from '../sessions/session.ts'
import type { EventSink } from './events.ts'
import type { ProviderSet } from './provider-set.ts'
import type { SessionKeeper } from './session-keeper.ts'

export interface AuthFlowDeps {
  registry: AccountRegistry
  keeper: SessionKeeper
  providers: ProviderSet
  browser: ExternalBrowser
  clock: Clock
  logger: Logger
  emit: EventSink
}

/** A sign-in either waits in the browser, or (for backends without a browser step) is already done. */
export type Started = Extract<AuthStep, { kind: 'browser' }> | { kind: 'signed-in'; accountId: string }

interface Target {
  kind: ProviderKind
  config: BackendConfig
  label: string | undefined
  /** Set when signing in again to an existing account. */
  accountId: string | undefined
}

interface Attempt {
  signIn: BrowserSignIn
  /** Settles with the account id once the browser step and the exchange are done. */
  outcome: Promise<string>
  settled: boolean
}

/** How long a finished attempt waits for its `complete()` before it is forgotten. */
const UNCLAIMED_ATTEMPT_MS = 120_000

export class AuthFlows {
  readonly #deps: AuthFlowDeps
  readonly #attempts = new Map<string, Attempt>()

  constructor(deps: AuthFlowDeps) {
    this.#deps = deps
  }

  async begin(kind: ProviderKind, input: BackendConfigInput, label?: string): Promise<Started> {
    const config = this.#deps.providers.get(kind).parseConfig(input)
    return this.#start({ kind, config, label: label?.trim() || undefined, accountId: undefined })
  }

  async reauth(accountId: string): Promise<Started> {
    const record = this.#deps.registry.require(accountId)
    const config = { ...record.config, ...this.#deps.keeper.secretConfig(accountId) }
    return this.#start({ kind: record.provider, config, label: record.label, accountId })
  }

  /** Waits for the browser step; resolves with the account id. */
  async complete(attemptId: string): Promise<string> {
    const attempt = this.#attempts.get(attemptId)
    if (!attempt) throw new AppError('NOT_FOUND', 'That sign-in attempt has already finished or was cancelled.')
    try {
      return await attempt.outcome
    } finally {
      this.#attempts.delete(attemptId)
    }
  }

  cancel(attemptId: string): void {
    const attempt = this.#attempts.get(attemptId)
    if (!attempt || attempt.settled) return
    attempt.signIn.cancel()
    this.#progress(attemptId, 'cancelled', 'Sign-in cancelled.')
  }

  cancelAll(): void {
    for (const id of [...this.#attempts.keys()]) this.cancel(id)
  }

  /**
   * Revokes what the server lets us revoke, forgets the tokens, and (unless told not to) opens the
   * provider's own sign-out page. A refresh already running is waited for, so the token revoked is
   * the newest one and nothing it minted survives.
   */
  async signOut(accountId: string, options: { browserLogout: boolean } = { browserLogout: true }): Promise<SignOutOutcome> {
    const record = this.#deps.registry.require(accountId)
    await this.#deps.keeper.settled(accountId)
    const session = this.#deps.keeper.session(accountId)
    if (!session) {
      await this.#deps.keeper.drop(accountId, { all: false })
      return { revokedOnServer: false, browserLogout: 'not-offered', message: 'This account was not signed in.' }
    }
    const provider = this.#deps.providers.get(record.provider)
    const config = { ...record.config, ...this.#deps.keeper.secretConfig(accountId) }
    const result = await provider.signOut(config, session, this.#ctx())
    await this.#deps.keeper.drop(accountId, { all: false })
    let browserLogout: SignOutOutcome['browserLogout'] = 'not-offered'
    if (result.endSessionUrl && options.browserLogout) {
      // The server side is done; a browser that will not open must not lose that outcome.
      browserLogout = await this.#deps.browser.open(result.endSessionUrl).then(
        () => 'opened' as const,
        () => 'failed' as const,
      )
    }
    this.#deps.logger.info('auth.signed-out', { accountId, revokedOnServer: result.revokedOnServer, browserLogout })
    return { revokedOnServer: result.revokedOnServer, browserLogout, message: result.message }
  }

  async #start(target: Target): Promise<Started> {
    const provider = this.#deps.providers.get(target.kind)
    const start = await provider.beginSignIn(target.config, this.#ctx())
    if (start.kind === 'done') return { kind: 'signed-in', accountId: await this.#finish(target, start.signedIn) }

    const attemptId = randomUUID()
    const outcome = start.result.then(
      async (signedIn) => {
        this.#progress(attemptId, 'exchanging', 'Signed in at the provider; finishing up…')
        const id = await this.#finish(target, signedIn)
        this.#progress(attemptId, 'done', 'Signed in.')
        return id
      },
      (error: unknown) => {
        if (!(error instanceof AppError && error.code === 'AUTH_CANCELLED')) {
          this.#progress(attemptId, 'failed', error instanceof AppError ? error.message : 'Sign-in failed.')
        }
        throw error
      },
    )
    const attempt: Attempt = { signIn: start, outcome, settled: false }
    // The rejection is delivered by complete(); an attempt nobody comes back for is forgotten.
    outcome
      .catch(() => undefined)
      .finally(() => {
        attempt.settled = true
        this.#deps.clock.setTimeout(() => this.#attempts.delete(attemptId), UNCLAIMED_ATTEMPT_MS)
      })
    this.#attempts.set(attemptId, attempt)
    const host = new URL(start.url).host
    this.#progress(attemptId, 'opening-browser', `Opening ${host} in your browser…`)
    try {
      await this.#deps.browser.open(start.url)
    } catch (error) {
      start.cancel()
      this.#attempts.delete(attemptId)
      throw new AppError('AUTH_FAILED', 'Could not open your web browser for the sign-in.', { cause: error })
    }
    this.#progress(attemptId, 'waiting-browser', `Waiting for you to finish signing in at ${host}…`)
    return { kind: 'browser', attemptId, host, expiresAt: new Date(start.expiresAt).toISOString() }
  }

  async #finish(target: Target, signedIn: SignedIn): Promise<string> {
    const { registry, providers, keeper } = this.#deps
    const provider = providers.get(target.kind)
    const { open, secret } = providers.split(target.kind, target.config)
    const backend = provider.backendName(target.config)
    if (target.accountId) await this.#refuseSomeoneElse(target, signedIn)
    const key = accountKey(target.kind, open, signedIn.identity.subject)
    const existing = target.accountId ?? registry.list().find((r) => accountKey(r.provider, r.config, r.identity.subject) === key)?.id
    const id =
      existing ??
      registry.add({
        label: target.label ?? defaultLabel(signedIn, backend),
        provider: target.kind,
        config: open,
        identity: signedIn.identity,
        lastRefreshAt: null,
        expiresAt: null,
        attention: null,
        signedOut: false,
        profile: signedIn.profile,
      }).id
    if (existing) registry.update(id, { identity: signedIn.identity, config: open, profile: signedIn.profile })
    // Active before adopting: adopting announces the change, so the list the renderer gets is whole.
    registry.setActive(id)
    await keeper.adopt(id, signedIn.session, secret)
    this.#deps.logger.info('auth.signed-in', { accountId: id, provider: target.kind, backend })
    return id
  }

  /** Signing in again must be as the same person; someone else's fresh session is revoked, not kept. */
  async #refuseSomeoneElse(target: Target, signedIn: SignedIn): Promise<void> {
    const record = this.#deps.registry.require(target.accountId ?? '')
    if (record.identity.subject === signedIn.identity.subject) return
    const provider = this.#deps.providers.get(target.kind)
    await provider.signOut(target.config, signedIn.session, this.#ctx()).catch(() => undefined)
    const them = whoIs(signedIn.identity)
    throw new AppError(
      'AUTH_FAILED',
      `You signed in as ${them}, but this account belongs to ${whoIs(record.identity)}. Sign in as them, or add ${them} as a new account.`,
    )
  }

  #progress(attemptId: string, stage: AuthStage, message: string): void {
    this.#deps.emit('auth:progress', { attemptId, stage, message })
  }

  #ctx(): ProviderContext {
    return { clock: this.#deps.clock, logger: this.#deps.logger }
  }
}

/**
 * One person on one backend configuration (issuer and client, not just the host: several issuers
 * can share a host): signing in as them again updates that account.
 */
function accountKey(kind: string, config: Record<string, string>, subject: string): string {
  const sorted = Object.entries(config).sort(([a], [b]) => a.localeCompare(b))
  return JSON.stringify([kind, sorted, subject])
}

function whoIs(identity: SignedIn['identity']): string {
  return identity.email ?? identity.name ?? identity.subject
}

function defaultLabel(signedIn: SignedIn, backend: string): string {
  return `${whoIs(signedIn.identity)} @ ${backend}`
}
