/**
 * Keeps every account's session fresh with the one refresh scheduler, and persists it through the
 * vault. Sessions are not held in memory: what the scheduler and the list need (expiry, issue time,
 * how it renews) is in the account's clear record (`sessionFacts`), and a session is opened from
 * the vault when it is used (a refresh, a token handed out, the detail view) and let go after. The
 * rotated refresh token is persisted before anyone can read the new access token; a rejected
 * refresh marks the account and keeps it.
 */
import { clockTime, isoOrNull } from '../iso-time.ts'
import type { Attention, Renewal, StorageHealth, StorageState } from '../../../shared/contract.ts'
import type { AccountRegistry } from '../accounts/registry.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { SIGNED_OUT, transition, type AccountState, type StatusEvent } from '../accounts/status.ts'
import { AppError, RefreshRejectedError } from '../errors.ts'
import { sameValue, type Profile } from '../profile.ts'
import type { Clock, Logger, TimerHandle } from '../ports.ts'
import type { ProviderContext, RefreshResult } from '../provider.ts'
import type { SecretVault } from '../secrets/vault.ts'
import { inSlices } from '../slices.ts'
import { RefreshBursts } from '../sessions/refresh-bursts.ts'
import { RefreshScheduler } from '../sessions/scheduler.ts'
import { clampDelay, MAX_TIMER_DELAY_MS } from '../sessions/timer-delay.ts'
import { factsOf, type Session, type SessionFacts } from '../sessions/session.ts'
import { decodeSecrets, encodeSecrets, type AccountSecrets } from './account-secrets.ts'
import type { ProviderSet } from './provider-set.ts'

export interface SessionKeeperDeps {
  registry: AccountRegistry
  vault: SecretVault
  providers: ProviderSet
  clock: Clock
  logger: Logger
  random?: () => number
  /** Called whenever anything an account summary shows has changed: for one account, or (no id) for all. */
  changed: (id?: string) => void
  /** Called once a burst of renewals is over (see RefreshBursts and AFTER_BURST); none: not watched. */
  afterRefreshBurst?: () => void
}

/** A burst: this many renewals with no 2-second pause between them, then such a pause. */
export const AFTER_BURST = { size: 1000, quietMs: 2000 } as const

export class SessionKeeper {
  readonly #deps: SessionKeeperDeps
  /** The session a renewal started with, while the one it got is being persisted: readers get this one meanwhile. */
  readonly #persisting = new Map<string, Session>()
  /** Accounts renewing right now; everything else about their state is in their settings record. */
  readonly #refreshing = new Set<string>()
  readonly #scheduler: RefreshScheduler
  /** Bumped whenever an account's session is replaced or dropped, so a refresh that was already
   * running when that happened cannot bring the old session back. */
  readonly #generations = new Map<string, number>()
  /** One-shot timers that mark a session nothing renews as expired when its time is up. */
  readonly #expiryTimers = new Map<string, TimerHandle>()
  /** Validity checks of static sessions running now (single-flight per account). */
  readonly #checks = new Map<string, Promise<void>>()
  /** Accounts whose last refresh before this start never finished (when it started), until their next one does. */
  readonly #interrupted = new Map<string, number>()
  /** Accounts a server asked to wait (a 429 with a time): background renewal not before this. */
  readonly #notBefore = new Map<string, number>()
  #loaded = false
  /** Set while start-up restores every account: their events wait for the one at the end. */
  #quiet = false
  /** Renewals running whose "refreshing" has not been announced yet: id → when they started (oldest first). */
  readonly #unannounced = new Map<string, number>()
  #announceTimer: TimerHandle | null = null
  readonly #bursts: RefreshBursts | null

  constructor(deps: SessionKeeperDeps) {
    this.#deps = deps
    this.#bursts = deps.afterRefreshBurst ? new RefreshBursts({ clock: deps.clock, ...AFTER_BURST, over: deps.afterRefreshBurst }) : null
    this.#scheduler = new RefreshScheduler({
      clock: deps.clock,
      ...(deps.random ? { random: deps.random } : {}),
      refresh: (id) => this.#refresh(id),
      laneOf: (id) => laneOf(deps.registry.get(id)),
      onRetry: (id, error, retryAt) => {
        deps.logger.warn('refresh.retry', { accountId: id, retryAt: new Date(retryAt).toISOString(), error: errorText(error) })
        if (error instanceof AppError && error.retryAt !== undefined) {
          // The server dated its refusal: nothing renews this account before then, not even after an action.
          this.#notBefore.set(id, retryAt)
          this.#apply(id, { type: 'rate-limited', at: deps.clock.now(), retryAt })
        } else {
          this.#apply(id, { type: 'network-failed', at: deps.clock.now() })
        }
      },
      onGiveUp: (id, error) => {
        deps.logger.warn('refresh.rejected', { accountId: id, error: errorText(error) })
        const interruptedAt = this.#interrupted.get(id)
        const message =
          interruptedAt !== undefined ? interruptedMessage(interruptedAt) : error instanceof RefreshRejectedError ? error.message : undefined
        this.#interrupted.delete(id)
        this.#apply(id, { type: 'refresh-rejected', at: deps.clock.now(), ...(message ? { message } : {}) })
      },
    })
  }

  get loaded(): boolean {
    return this.#loaded
  }

  get scheduler(): RefreshScheduler {
    return this.#scheduler
  }

  /**
   * Reads the vault key (one keychain call; the vault checks every sealed session opens), then
   * schedules refreshes from the records. Call after first paint.
   */
  async load(alongside: Promise<unknown> = Promise.resolve()): Promise<void> {
    // The keychain is read meanwhile (the accounts' files compared with the start-up index, say):
    // sessions are restored once both are done, from records as the files hold them.
    await Promise.all([this.#deps.vault.load(), alongside])
    this.#loaded = true
    // One `accounts:changed` at the end rather than an event per account on the way.
    this.#quiet = true
    try {
      await inSlices(this.#deps.registry.list(), (record) => this.#restoreOne(record))
    } finally {
      this.#quiet = false
    }
    this.#deps.changed()
  }

  /** "Try again" on the keychain: when it works now, the sessions it holds come back to life. */
  async retryKeychain(): Promise<StorageHealth> {
    const live = new Set(this.#deps.registry.list().flatMap((record) => (this.facts(record.id) ? [record.id] : [])))
    const health = await this.#deps.vault.retry()
    if (health.available) for (const record of this.#deps.registry.list()) if (!live.has(record.id)) this.#restoreOne(record)
    this.#deps.changed()
    return health
  }

  /** Accounts were put back into the list: their stored sessions come back too. */
  restored(ids: readonly string[]): void {
    if (this.#loaded) for (const id of ids) this.#restoreOne({ id })
    this.#deps.changed()
  }

  #restoreOne(listed: Pick<AccountRecord, 'id'>): void {
    // Start-up restores accounts in slices: this one may have changed, or gone, since the list was
    // made; one whose session was replaced or dropped meanwhile is live already.
    const record = this.#deps.registry.get(listed.id)
    if (!record || this.#generations.has(record.id)) return
    const available = this.#deps.vault.health().available
    if (record.sessionFacts === undefined) this.#learnFacts(record.id)
    const facts = this.facts(record.id)
    if (record.signedOut) return
    const at = this.#deps.clock.now()
    if (record.refreshStartedAt) this.#interrupted.set(record.id, Date.parse(record.refreshStartedAt))
    if (!facts && available && this.#deps.vault.unreadable(record.id)) {
      this.#apply(record.id, { type: 'expired', at, message: UNREADABLE })
    } else if (!facts) {
      this.#apply(record.id, available ? { type: 'expired', at } : { type: 'keychain-unavailable', at })
    } else if (refused(record.attention)) {
      // The server already refused this session; asking again would only fail again.
      return
    } else if (expiredForGood(facts, at)) {
      // Nothing can renew it (and PocketBase will not renew an expired token): say so, ask nobody.
      this.#apply(record.id, { type: 'expired', at })
    } else {
      const waitUntil = rateLimitedUntil(record.attention, at)
      if (waitUntil !== null) this.#notBefore.set(record.id, waitUntil)
      else if (record.attention) this.#apply(record.id, { type: 'signed-in' })
      this.#track(record.id, facts)
      // A static token may have been killed on the server while the app was closed; so may a
      // renewing one whose server can say so without renewing it.
      if (this.renewal(record.id) === 'check' || this.#checksRenewing(record.id)) {
        this.#check(record.id).catch((error: unknown) => this.#deps.logger.warn('check.failed', { accountId: record.id, error: errorText(error) }))
      }
    }
  }

  /**
   * A record from before `sessionFacts` (an earlier version's file): its session is opened once to
   * learn them, and the record keeps them from now on. Nothing is learnt while the vault cannot
   * open it (no key, or a damaged record).
   */
  #learnFacts(id: string): void {
    const vault = this.#deps.vault
    if (vault.canOpen(id)) {
      const text = vault.get(id)
      // The file could not be read just now: learnt at the next start.
      if (text === undefined) return
      const session = decodeSecrets(text)?.session
      this.#deps.registry.update(id, { sessionFacts: session ? factsOf(session) : null }, { durable: false })
    } else if (vault.health().available && !vault.unreadable(id)) {
      // Nothing sealed for it and nothing in memory: the account holds no session.
      this.#deps.registry.update(id, { sessionFacts: null }, { durable: false })
    }
  }

  state(id: string): AccountState {
    const record = this.#deps.registry.get(id)
    if (!record || record.signedOut) return SIGNED_OUT
    if (this.#refreshing.has(id)) return { status: 'refreshing', attention: record.attention }
    return { status: record.attention ? 'needs-attention' : 'signed-in', attention: record.attention }
  }

  /**
   * What is known of the account's session without opening it, or null when it has none that can
   * be used (none stored, the vault cannot open it, or it was not learnt yet).
   */
  facts(id: string): SessionFacts | null {
    const facts = this.#deps.registry.get(id)?.sessionFacts
    return facts && this.#deps.vault.canOpen(id) ? facts : null
  }

  /** The session, opened from the vault now: use it and let it go (nothing keeps it). */
  session(id: string): Session | null {
    return this.secrets(id).session
  }

  secretConfig(id: string): Record<string, string> {
    return this.#open(id)?.config ?? {}
  }

  /** The session (as `session`) and the secret configuration, opened together. */
  secrets(id: string): AccountSecrets {
    const secrets = this.#open(id)
    const session = this.facts(id) ? (this.#persisting.get(id) ?? secrets?.session ?? null) : null
    return { session, config: secrets?.config ?? {} }
  }

  #open(id: string): AccountSecrets | null {
    return decodeSecrets(this.#deps.vault.get(id))
  }

  storage(id: string): StorageState {
    return this.#deps.vault.storageOf(id)
  }

  /** Stores a freshly signed-in session: persisted first, then scheduled and shown. */
  async adopt(id: string, session: Session, secretConfig: Record<string, string>): Promise<void> {
    this.#bump(id)
    this.#persisting.delete(id)
    // The sealed session and the record's facts about it go to the disk in one write.
    const stored = this.#deps.vault.put(id, encodeSecrets({ session, config: secretConfig }))
    this.#deps.registry.update(id, {
      signedOut: false,
      attention: null,
      expiresAt: isoOrNull(session.expiresAt),
      lastRefreshAt: new Date(this.#deps.clock.now()).toISOString(),
      sessionFacts: factsOf(session),
    })
    await stored
    this.#apply(id, { type: 'signed-in' })
    this.#track(id, factsOf(session))
  }

  /** Replaces the secret part of the configuration (an API token an action created), keeping the session. */
  async replaceSecretConfig(id: string, config: Record<string, string>): Promise<void> {
    await this.#deps.vault.put(id, encodeSecrets({ session: this.session(id), config: { ...config } }))
  }

  /** Forget the session (after sign-out or before removal). The secret config is kept unless `all`. */
  async drop(id: string, options: { all: boolean }): Promise<void> {
    this.#bump(id)
    this.#scheduler.untrack(id)
    this.#persisting.delete(id)
    const config = options.all ? null : this.secretConfig(id)
    const stored =
      config && Object.keys(config).length > 0 ? this.#deps.vault.put(id, encodeSecrets({ session: null, config })) : this.#deps.vault.remove(id)
    if (this.#deps.registry.get(id)?.sessionFacts !== null && this.#deps.registry.has(id)) this.#deps.registry.update(id, { sessionFacts: null })
    await stored
    if (options.all) {
      this.#refreshing.delete(id)
      this.#unannounced.delete(id)
    }
    else this.#apply(id, { type: 'signed-out' })
  }

  /** A fresh access token, refreshing first (single-flight) when it expires within `minTtlMs` (a minute). */
  async freshSession(id: string, minTtlMs = 60_000): Promise<Session> {
    return (await this.freshSecrets(id, minTtlMs)).session
  }

  /** As freshSession, with the secret configuration opened with it (one opening of the vault when nothing is renewed). */
  async freshSecrets(id: string, minTtlMs = 60_000): Promise<AccountSecrets & { session: Session }> {
    const secrets = this.secrets(id)
    const session = secrets.session
    if (!session) throw new AppError('NOT_FOUND', 'This account is not signed in.')
    const soon = this.#deps.clock.now() + minTtlMs
    if (session.expiresAt !== null && session.expiresAt <= soon && this.renewal(id) === 'automatic') {
      await this.refreshNow(id)
      const renewed = this.secrets(id)
      return { session: renewed.session ?? session, config: renewed.config }
    }
    return { session, config: secrets.config }
  }

  /** Renews the session now; a static one is checked with the server instead. */
  refreshNow(id: string): Promise<void> {
    if (!this.facts(id)) return Promise.reject(new AppError('NOT_FOUND', 'This account is not signed in.'))
    switch (this.renewal(id)) {
      case 'automatic':
        return this.#scheduler.refreshNow(id)
      case 'check':
        return this.#check(id)
      case 'none':
        return Promise.reject(new AppError('UNSUPPORTED', 'This session cannot be renewed; it stays valid until it expires.'))
    }
  }

  /** "Check session": asks the server whether the session is still valid, without renewing it. */
  checkNow(id: string): Promise<void> {
    if (!this.facts(id)) return Promise.reject(new AppError('NOT_FOUND', 'This account is not signed in.'))
    if (this.renewal(id) === 'check' || this.#checksRenewing(id)) return this.#check(id)
    return Promise.reject(new AppError('UNSUPPORTED', 'This server cannot check a session without renewing it; use Refresh now.'))
  }

  /** A renewing session whose provider can check it without renewing it. */
  #checksRenewing(id: string): boolean {
    const record = this.#deps.registry.get(id)
    const facts = this.facts(id)
    return record !== undefined && facts !== null && this.renewal(id) === 'automatic' && this.#deps.providers.checksSessions(record.provider, facts)
  }

  /** How this account's session stays usable (see `Renewal`). */
  renewal(id: string): Renewal {
    const record = this.#deps.registry.get(id)
    return record ? this.renewalOf(record, this.facts(id)) : 'none'
  }

  /** As `renewal`, for a record and its facts the caller has at hand (a summary reads both anyway). */
  renewalOf(record: AccountRecord, facts: SessionFacts | null): Renewal {
    if (!facts) return 'none'
    const renewsItself = this.#deps.providers.refreshesWithoutRefreshToken(record.provider)
    if (facts.isStatic) return renewsItself ? 'check' : 'none'
    return facts.refreshable || renewsItself ? 'automatic' : 'none'
  }

  /** Waits for a refresh or check of this account that is already running, so its result is not lost. */
  async settled(id: string): Promise<void> {
    await Promise.all([this.#scheduler.settled(id), this.#checks.get(id)?.catch(() => undefined)])
  }

  /**
   * Keeps the scheduler away from this account while `work` uses its token (an action that may
   * rotate it), then schedules whatever session the account has afterwards.
   */
  async holding<T>(id: string, work: () => Promise<T>): Promise<T> {
    await this.settled(id)
    this.#scheduler.untrack(id)
    try {
      return await work()
    } finally {
      const facts = this.facts(id)
      const record = this.#deps.registry.get(id)
      // Back on schedule unless the session is over (signed out, refused, ended by the action).
      if (facts && record && !record.signedOut && !refused(record.attention)) this.#track(id, facts)
    }
  }

  /** The server ended this session (an action rotated its token and signing in again failed). */
  ended(id: string, message: string): void {
    this.#bump(id)
    this.#scheduler.untrack(id)
    this.#apply(id, { type: 'revoked', at: this.#deps.clock.now(), message })
  }

  /** After sleep or a clock jump: refresh whatever is overdue now. */
  catchUp(): void {
    this.#scheduler.catchUp()
  }

  dispose(): void {
    for (const id of [...this.#expiryTimers.keys()]) this.#clearExpiry(id)
    if (this.#announceTimer !== null) this.#deps.clock.clearTimeout(this.#announceTimer)
    this.#announceTimer = null
    this.#unannounced.clear()
    this.#scheduler.dispose()
    this.#bursts?.dispose()
  }

  #track(id: string, facts: SessionFacts): void {
    this.#clearExpiry(id)
    if (this.renewal(id) === 'automatic') {
      const notBefore = this.#notBefore.get(id)
      if (notBefore !== undefined && notBefore <= this.#deps.clock.now()) this.#notBefore.delete(id)
      this.#scheduler.track(id, facts.expiresAt, facts.issuedAt, this.#notBefore.get(id))
      return
    }
    this.#scheduler.untrack(id)
    if (facts.expiresAt !== null) this.#armExpiry(id, facts.expiresAt)
  }

  /** Marks the account expired at `expiresAt`; timers are capped, so a far expiry re-arms on the way. */
  #armExpiry(id: string, expiresAt: number): void {
    const wait = expiresAt - this.#deps.clock.now()
    this.#expiryTimers.set(
      id,
      this.#deps.clock.setTimeout(() => {
        this.#expiryTimers.delete(id)
        if (wait > MAX_TIMER_DELAY_MS) this.#armExpiry(id, expiresAt)
        else this.#apply(id, { type: 'expired', at: this.#deps.clock.now() })
      }, clampDelay(wait)),
    )
  }

  #clearExpiry(id: string): void {
    const timer = this.#expiryTimers.get(id)
    if (timer !== undefined) this.#deps.clock.clearTimeout(timer)
    this.#expiryTimers.delete(id)
  }

  /**
   * Asks the server whether a static session is still valid (the provider's refresh gives the same
   * token back). A refusal marks the account; an unreachable server leaves it as it was and is
   * reported to the caller.
   */
  #check(id: string): Promise<void> {
    const running = this.#checks.get(id)
    if (running) return running
    const check = this.#runCheck(id).finally(() => this.#checks.delete(id))
    this.#checks.set(id, check)
    return check
  }

  async #runCheck(id: string): Promise<void> {
    const stored = this.facts(id)
    if (stored && expiredForGood(stored, this.#deps.clock.now())) {
      this.#apply(id, { type: 'expired', at: this.#deps.clock.now() })
      return
    }
    const run = this.#startRenewal(id, () => new AppError('NOT_FOUND', 'This account is not signed in.'))
    const { current, secrets } = run
    try {
      if (this.#checksRenewing(id) && run.provider.checkSession !== undefined) {
        await run.provider.checkSession(run.config, run.session, run.ctx)
        if (!current()) return
        this.#apply(id, { type: 'refresh-succeeded' })
        this.#deps.logger.info('check.ok', { accountId: id })
        return
      }
      const checked = await run.provider.refresh(run.config, run.session, run.ctx)
      if (!current()) return
      if (checked.session.accessToken !== run.session.accessToken) {
        this.#persisting.set(id, run.session)
        const stored = this.#deps.vault.put(id, encodeSecrets({ session: checked.session, config: secrets.config }))
        this.#deps.registry.update(id, { sessionFacts: factsOf(checked.session) })
        await stored.finally(() => this.#persisting.delete(id))
        if (!current()) return
      }
      this.#renewed(id, checked, 'check.ok')
    } catch (error) {
      if (!current()) return
      if (error instanceof RefreshRejectedError) {
        this.#scheduler.untrack(id)
        this.#apply(id, { type: 'refresh-rejected', at: this.#deps.clock.now(), message: error.message })
        return
      }
      // Not knowing is not a verdict: the account shows what it showed before (its attention was kept).
      this.#refreshing.delete(id)
      this.#unannounced.delete(id)
      this.#deps.changed(id)
      throw error instanceof AppError ? error : new AppError('NETWORK', 'Could not reach the server to check this session.', { cause: error })
    }
  }

  /** Starts a refresh or check: what it needs, and a test of whether the account's session is still the one it started with. */
  #startRenewal(id: string, noSession: () => AppError) {
    const record = this.#deps.registry.require(id)
    const secrets = this.facts(id) ? this.#open(id) : null
    if (!secrets?.session) throw noSession()
    const generation = this.#generations.get(id) ?? 0
    this.#apply(id, { type: 'refresh-started' }, { announce: false })
    this.#announceLater(id)
    return {
      provider: this.#deps.providers.get(record.provider),
      config: { ...record.config, ...secrets.config },
      session: secrets.session,
      secrets: { session: secrets.session, config: secrets.config },
      ctx: { clock: this.#deps.clock, logger: this.#deps.logger } satisfies ProviderContext,
      current: (): boolean => (this.#generations.get(id) ?? 0) === generation,
    }
  }

  /**
   * A refresh or check succeeded: the account shows the new expiry, the time and any new profile
   * claims. Claims the renewal did not bring stay (a refresh often carries only `sub`).
   */
  #renewed(id: string, result: RefreshResult, event: string): void {
    this.#recordRenewal(id, result)
    this.#apply(id, { type: 'refresh-succeeded' })
    this.#deps.logger.info(event, { accountId: id })
  }

  /**
   * What the account's record keeps of a renewal; written with the session in one account-file
   * write. Profile claims the renewal did not bring stay (a refresh often carries only `sub`).
   */
  #recordRenewal(id: string, result: RefreshResult, options: { durable?: boolean; stored?: SessionFacts } = {}): void {
    this.#interrupted.delete(id)
    this.#notBefore.delete(id)
    const profile = result.profile ? changedProfile(this.#deps.registry.get(id)?.profile, result.profile) : undefined
    this.#deps.registry.update(id, {
      expiresAt: isoOrNull(result.session.expiresAt),
      lastRefreshAt: new Date(this.#deps.clock.now()).toISOString(),
      refreshStartedAt: null,
      ...(profile ? { profile } : {}),
      ...(result.credentials ? { credentials: result.credentials } : {}),
      ...(options.stored ? { sessionFacts: options.stored } : {}),
    }, options.durable === undefined ? {} : { durable: options.durable })
  }

  #bump(id: string): number {
    this.#clearExpiry(id)
    this.#notBefore.delete(id)
    const next = (this.#generations.get(id) ?? 0) + 1
    this.#generations.set(id, next)
    return next
  }

  async #refresh(id: string): Promise<{ expiresAt: number | null; issuedAt: number }> {
    this.#bursts?.renewal()
    const { provider, config, session, ctx, current, secrets } = this.#startRenewal(id, () => new RefreshRejectedError('This account has no session to renew.'))
    // A renewal that leaves the old token valid (PocketBase) spends nothing: a crash at any point
    // leaves a session on disk that still renews. It gets no in-flight mark and its result is
    // written atomically but not flushed, one write per refresh (see Provider.renewalKeepsOldToken).
    const spends = provider.renewalKeepsOldToken !== true
    // On disk before the request goes out: if Latchkey stops before the answer is stored, the next
    // start knows the refresh token may have been used up, and says so.
    // Written, not flushed: it survives Latchkey being killed, and losing it to a power cut costs
    // only the wording of the message; its result below is flushed before anyone reads the new token.
    if (spends) {
      this.#deps.registry.update(id, { refreshStartedAt: new Date(this.#deps.clock.now()).toISOString() }, { durable: false })
      await this.#deps.registry.persisted(id)
    }
    let refreshed: RefreshResult
    try {
      refreshed = await provider.refresh(config, session, ctx)
    } catch (error) {
      if (this.#deps.registry.get(id)?.refreshStartedAt) this.#deps.registry.update(id, { refreshStartedAt: null })
      throw error
    }
    if (!current()) return this.#superseded(id, () => provider.signOut(config, refreshed.session, ctx))
    // Persist the rotated token before the new access token becomes readable (until then readers
    // get the session this renewal started with); the record's new expiry goes into the same write.
    this.#persisting.set(id, session)
    const stored = this.#deps.vault.put(id, encodeSecrets({ session: refreshed.session, config: secrets.config }), { durable: spends })
    this.#recordRenewal(id, refreshed, { durable: spends, stored: factsOf(refreshed.session) })
    await stored.finally(() => {
      if (this.#persisting.get(id) === session) this.#persisting.delete(id)
    })
    if (!current()) return this.#superseded(id, () => provider.signOut(config, refreshed.session, ctx))
    this.#apply(id, { type: 'refresh-succeeded' })
    this.#deps.logger.info('refresh.ok', { accountId: id })
    return { expiresAt: refreshed.session.expiresAt, issuedAt: refreshed.session.issuedAt }
  }

  /**
   * The session was signed out or replaced while this refresh ran: its result must not come back.
   * The token it minted is revoked (best effort) and the schedule follows the current session.
   */
  async #superseded(id: string, revoke: () => Promise<unknown>): Promise<{ expiresAt: number | null; issuedAt: number }> {
    this.#deps.logger.info('refresh.superseded', { accountId: id })
    await revoke().catch(() => undefined)
    // What replaced or dropped the session wrote after this refresh did: the vault holds what is current.
    const facts = this.facts(id)
    return facts ? { expiresAt: facts.expiresAt, issuedAt: facts.issuedAt } : { expiresAt: null, issuedAt: this.#deps.clock.now() }
  }

  /**
   * `announce: false`: no event now (a renewal starting; see #announceLater). Any later change is
   * announced as usual, and carries whatever the account shows then.
   */
  #apply(id: string, event: StatusEvent, options: { announce: boolean } = { announce: true }): void {
    const record = this.#deps.registry.get(id)
    if (!record) return
    const next = transition(this.state(id), event)
    if (next.status === 'refreshing') this.#refreshing.add(id)
    else {
      this.#refreshing.delete(id)
      this.#unannounced.delete(id)
    }
    // Only what must survive a restart is written; "refreshing" lives in memory.
    const attention: Attention | null = next.attention
    const signedOut = next.status === 'signed-out'
    if (JSON.stringify(record.attention) !== JSON.stringify(attention) || record.signedOut !== signedOut) {
      this.#deps.registry.update(id, { attention, signedOut })
    }
    if (!this.#quiet && options.announce) this.#deps.changed(id)
  }

  /**
   * A renewal shows as "refreshing" only once it has run for REFRESHING_SHOWN_AFTER_MS: most take
   * far less, and then the account's one event is its outcome (a person who asked for the refresh
   * already sees it running). One timer serves every account, armed for the oldest renewal.
   */
  #announceLater(id: string): void {
    this.#unannounced.delete(id)
    this.#unannounced.set(id, this.#deps.clock.now())
    if (this.#announceTimer === null) this.#announceTimer = this.#deps.clock.setTimeout(this.#announceDue, REFRESHING_SHOWN_AFTER_MS)
  }

  readonly #announceDue = (): void => {
    this.#announceTimer = null
    const now = this.#deps.clock.now()
    for (const [id, startedAt] of this.#unannounced) {
      const due = startedAt + REFRESHING_SHOWN_AFTER_MS
      if (due > now) {
        this.#announceTimer = this.#deps.clock.setTimeout(this.#announceDue, due - now)
        return
      }
      this.#unannounced.delete(id)
      if (this.#refreshing.has(id) && !this.#quiet) this.#deps.changed(id)
    }
  }
}

/** How long a renewal runs before its account is shown as refreshing. */
export const REFRESHING_SHOWN_AFTER_MS = 500

const UNREADABLE = "This session's saved copy could not be opened (it was damaged or changed outside Latchkey). Sign in again."

function interruptedMessage(startedAt: number): string {
  return `Latchkey stopped while renewing this session (at ${clockTime(startedAt)}), before it could save the renewed one, and the server no longer accepts the old one. Sign in again.`
}

/** A rate limit that had not run out when Latchkey stopped: its time (ms), or null. */
function rateLimitedUntil(attention: Attention | null, now: number): number | null {
  if (attention?.reason !== 'rate-limited' || attention.retryAt === undefined) return null
  const at = Date.parse(attention.retryAt)
  return Number.isFinite(at) && at > now ? at : null
}

/** The server refused or ended this session: only a new sign-in helps. */
function refused(attention: Attention | null): boolean {
  return attention?.reason === 'refresh-rejected' || attention?.reason === 'revoked'
}

/** An expired token with no refresh token: PocketBase renews only a token that is still valid. */
function expiredForGood(facts: SessionFacts, now: number): boolean {
  return !facts.refreshable && facts.expiresAt !== null && facts.expiresAt <= now
}

/**
 * The record's profile with the claims a renewal brought, or undefined when they change nothing
 * (most renewals bring the same claims again: the record keeps the profile it has).
 */
function changedProfile(current: Readonly<Profile> | undefined, claims: Profile): Profile | undefined {
  if (current && Object.keys(claims).every((key) => sameValue(current[key], claims[key]))) return undefined
  return { ...current, ...claims }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'
}

/** Accounts of one backend with one configuration talk to one server: their renewals share a lane. */
function laneOf(record: AccountRecord | undefined): string {
  return record ? `${record.provider} ${JSON.stringify(record.config)}` : ''
}
