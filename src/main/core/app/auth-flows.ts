/**
 * Sign-in attempts: begin → (forms the person answers in the app, a browser step) → done, or
 * cancel at any step; sign in again; sign-out. The URL opened in the browser is always one a
 * provider built, never one from the renderer.
 */
import { randomUUID } from 'node:crypto'
import type { AuthStage, AuthStep, BackendConfigInput, FormValues, ProviderKind, SignOutOutcome } from '../../../shared/contract.ts'
import type { AccountRegistry } from '../accounts/registry.ts'
import { AppError } from '../errors.ts'
import type { Clock, ExternalBrowser, Logger, TimerHandle } from '../ports.ts'
import type { BackendConfig, BrowserSignIn, FormSignIn, ProviderContext, SignInOptions, SignInStart } from '../provider.ts'
import type { SignedIn } from '../sessions/session.ts'
import { adoptSignedIn, sameConfig, type AdoptTarget } from './adopt-account.ts'
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

/** Where an attempt stands after a step: waiting in the browser, asking a form, or signed in. */
export type Started = Extract<AuthStep, { kind: 'browser' | 'form' }> | { kind: 'signed-in'; accountId: string }

interface Attempt {
  id: string
  target: AdoptTarget
  /** The form the attempt is at (or was at when it went to the browser). */
  form: { signIn: FormSignIn; answering: boolean } | null
  /** The browser step, from opening the browser until `complete` has taken its outcome. */
  browser: { signIn: BrowserSignIn; outcome: Promise<Started> } | null
  cancelled: boolean
  /** Forgets the attempt when nobody comes back for it. */
  timer: TimerHandle | null
}

/** How long an attempt may sit unanswered (a finished browser step, an open form) before it is forgotten. */
const UNATTENDED_ATTEMPT_MS = 30 * 60_000

export class AuthFlows {
  readonly #deps: AuthFlowDeps
  readonly #attempts = new Map<string, Attempt>()

  constructor(deps: AuthFlowDeps) {
    this.#deps = deps
  }

  async begin(kind: ProviderKind, input: BackendConfigInput, label?: string): Promise<Started> {
    const config = this.#deps.providers.get(kind).parseConfig(input)
    const target: AdoptTarget = { kind, config, label: label?.trim() || undefined, accountId: undefined }
    return this.#start(target, { purpose: this.#hasAccountOn(kind, config) ? 'another-account' : 'first' })
  }

  async reauth(accountId: string): Promise<Started> {
    const record = this.#deps.registry.require(accountId)
    const config = { ...record.config, ...this.#deps.keeper.secretConfig(accountId) }
    return this.#start({ kind: record.provider, config, label: record.label, accountId }, { purpose: 'again' })
  }

  /** An account already signs in on this backend configuration. */
  #hasAccountOn(kind: ProviderKind, config: BackendConfig): boolean {
    const { open } = this.#deps.providers.split(kind, config)
    return this.#deps.registry.list().some((record) => record.provider === kind && sameConfig(record.config, open))
  }

  /**
   * Waits for the browser step; resolves with what comes next (usually the signed-in account, or a
   * second-factor form). The outcome is kept until asked for, however early the browser finished.
   */
  async complete(attemptId: string): Promise<Started> {
    const attempt = this.#attempt(attemptId)
    const browser = attempt.browser
    if (!browser) {
      if (attempt.form) return { kind: 'form', attemptId, form: attempt.form.signIn.form }
      throw new AppError('NOT_FOUND', 'That sign-in attempt has already finished or was cancelled.')
    }
    let next: Started
    try {
      next = await browser.outcome
    } catch (error) {
      this.#forget(attempt)
      throw error
    }
    attempt.browser = null
    if (next.kind === 'signed-in') this.#forget(attempt)
    return next
  }

  /**
   * Answers the form step with one of its buttons. A problem the person can correct (a wrong
   * password, a wrong code) rejects and leaves the attempt at the same form.
   */
  async continue(attemptId: string, action: string, values: FormValues): Promise<Started> {
    const attempt = this.#attempt(attemptId)
    const form = attempt.form
    if (!form || attempt.browser) throw new AppError('VALIDATION', 'This sign-in is waiting for the browser, not a form.')
    if (form.answering) throw new AppError('VALIDATION', 'This step is already being answered.')
    form.answering = true
    this.#touch(attempt)
    let next: SignInStart
    try {
      next = await form.signIn.submit(action, values)
    } catch (error) {
      if (attempt.cancelled) this.#forget(attempt)
      throw error
    } finally {
      form.answering = false
    }
    if (attempt.cancelled) {
      // Cancelled while the server answered: nothing it signed in may survive.
      await this.#discard(attempt, next)
      throw new AppError('AUTH_CANCELLED', 'Sign-in cancelled.')
    }
    // A failure from here on (someone else signed in, no browser) leaves the form to answer again.
    const started = await this.#advance(attempt, next)
    if (started.kind === 'signed-in') this.#forget(attempt)
    return started
  }

  cancel(attemptId: string): void {
    const attempt = this.#attempts.get(attemptId)
    if (!attempt || attempt.cancelled) return
    attempt.cancelled = true
    attempt.form?.signIn.cancel()
    attempt.browser?.signIn.cancel()
    // A browser step's waiter learns of the cancel from `complete`, an answer under way from `continue`.
    if (!attempt.browser && !attempt.form?.answering) this.#forget(attempt)
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
      return { revokedOnServer: false, browserLogout: 'not-offered', noSession: true, message: 'This account was not signed in.' }
    }
    const provider = this.#deps.providers.get(record.provider)
    const config = { ...record.config, ...this.#deps.keeper.secretConfig(accountId) }
    const result = await provider.signOut(config, session, this.#ctx())
    await this.#deps.keeper.drop(accountId, { all: false })
    let browserLogout: SignOutOutcome['browserLogout'] = result.endSessionUrl ? 'not-asked' : 'not-offered'
    if (result.endSessionUrl && options.browserLogout) {
      // The server side is done; a browser that will not open must not lose that outcome.
      browserLogout = await this.#deps.browser.open(result.endSessionUrl, 'sign-out').then(
        () => 'opened' as const,
        () => 'failed' as const,
      )
    }
    this.#deps.logger.info('auth.signed-out', { accountId, revokedOnServer: result.revokedOnServer, browserLogout })
    return { revokedOnServer: result.revokedOnServer, browserLogout, ...(result.cannotRevoke ? { cannotRevoke: true } : {}), message: result.message }
  }

  async #start(target: AdoptTarget, options: SignInOptions): Promise<Started> {
    const start = await this.#deps.providers.get(target.kind).beginSignIn(target.config, this.#ctx(), options)
    if (start.kind === 'done') return { kind: 'signed-in', accountId: await this.#finish(target, start.signedIn) }
    const attempt: Attempt = { id: randomUUID(), target, form: null, browser: null, cancelled: false, timer: null }
    return this.#advance(attempt, start)
  }

  /** Moves an attempt to its next step. Forgetting a finished attempt is the caller's part. */
  async #advance(attempt: Attempt, next: SignInStart): Promise<Started> {
    if (next.kind === 'done') {
      this.#progress(attempt.id, 'exchanging', 'Signed in; finishing up…')
      const accountId = await this.#finish(attempt.target, next.signedIn)
      this.#progress(attempt.id, 'done', 'Signed in.')
      return { kind: 'signed-in', accountId }
    }
    this.#attempts.set(attempt.id, attempt)
    this.#touch(attempt)
    if (next.kind === 'form') {
      attempt.form = { signIn: next, answering: false }
      return { kind: 'form', attemptId: attempt.id, form: next.form }
    }
    return this.#openBrowser(attempt, next)
  }

  async #openBrowser(attempt: Attempt, signIn: BrowserSignIn): Promise<Started> {
    const attemptId = attempt.id
    const outcome = signIn.result.then(
      (result: SignedIn | FormSignIn) => this.#advance(attempt, 'kind' in result ? result : { kind: 'done', signedIn: result }),
      (error: unknown) => {
        if (!(error instanceof AppError && error.code === 'AUTH_CANCELLED')) {
          this.#progress(attemptId, 'failed', error instanceof AppError ? error.message : 'Sign-in failed.')
        }
        throw error
      },
    )
    // The rejection is delivered by complete(); an attempt nobody comes back for is forgotten.
    outcome.catch(() => undefined)
    attempt.browser = { signIn, outcome }
    this.#progress(attemptId, 'opening-browser', `Opening ${new URL(signIn.url).host} in your browser…`)
    return this.#openPage(attempt, signIn)
  }

  /** Opens the browser step's page again (no browser opened, or its tab was closed). */
  async openAgain(attemptId: string): Promise<Started> {
    const attempt = this.#attempt(attemptId)
    if (!attempt.browser) throw new AppError('VALIDATION', 'This sign-in is not waiting for the browser.')
    this.#touch(attempt)
    return this.#openPage(attempt, attempt.browser.signIn)
  }

  /**
   * Opens the sign-in page. A browser that does not open leaves the attempt waiting: the step
   * says why, and the person can copy the address or try again.
   */
  async #openPage(attempt: Attempt, signIn: BrowserSignIn): Promise<Started> {
    const url = new URL(signIn.url)
    let openFailure: string | null = null
    try {
      await this.#deps.browser.open(signIn.url, 'sign-in')
    } catch (error) {
      openFailure = error instanceof Error && error.message !== '' ? error.message : 'The browser did not start.'
      this.#deps.logger.warn('auth.browser-not-opened', { host: url.host, reason: openFailure })
    }
    this.#progress(
      attempt.id,
      'waiting-browser',
      openFailure === null
        ? `Waiting for you to finish signing in at ${url.host}…`
        : `Your browser could not be opened. Open the sign-in address yourself; Latchkey is waiting for ${url.host}.`,
    )
    return {
      kind: 'browser',
      attemptId: attempt.id,
      host: url.host,
      expiresAt: new Date(signIn.expiresAt).toISOString(),
      url: signIn.url,
      redirectUri: url.searchParams.get('redirect_uri'),
      openFailure,
    }
  }

  /** A step that finished after its attempt was cancelled: a session it made is signed out again. */
  async #discard(attempt: Attempt, next: SignInStart): Promise<void> {
    this.#forget(attempt)
    if (next.kind === 'done') {
      const provider = this.#deps.providers.get(attempt.target.kind)
      await provider.signOut(attempt.target.config, next.signedIn.session, this.#ctx()).catch(() => undefined)
    } else {
      next.cancel()
    }
  }

  #finish(target: AdoptTarget, signedIn: SignedIn): Promise<string> {
    return adoptSignedIn(this.#deps, target, signedIn, { activate: true })
  }

  #attempt(attemptId: string): Attempt {
    const attempt = this.#attempts.get(attemptId)
    if (!attempt) throw new AppError('NOT_FOUND', 'That sign-in attempt has already finished or was cancelled.')
    return attempt
  }

  #touch(attempt: Attempt): void {
    if (attempt.timer !== null) this.#deps.clock.clearTimeout(attempt.timer)
    attempt.timer = this.#deps.clock.setTimeout(() => {
      attempt.timer = null
      if (this.#attempts.get(attempt.id) !== attempt) return
      attempt.form?.signIn.cancel()
      attempt.browser?.signIn.cancel()
      this.#forget(attempt)
    }, UNATTENDED_ATTEMPT_MS)
  }

  #forget(attempt: Attempt): void {
    if (attempt.timer !== null) this.#deps.clock.clearTimeout(attempt.timer)
    attempt.timer = null
    if (this.#attempts.get(attempt.id) === attempt) this.#attempts.delete(attempt.id)
  }

  #progress(attemptId: string, stage: AuthStage, message: string): void {
    this.#deps.emit('auth:progress', { attemptId, stage, message })
  }

  #ctx(): ProviderContext {
    return { clock: this.#deps.clock, logger: this.#deps.logger }
  }
}

