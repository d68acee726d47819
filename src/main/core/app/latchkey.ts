/**
 * The application core: accounts, sessions, sign-in and app state, behind the methods the IPC
 * handlers call. Free of Electron; both shells build one of these through `createLatchkey`.
 */
import type {
  AccountAction,
  AccountDetail,
  ActionOutcome,
  AccountSummary,
  AppState,
  AuthStep,
  BackendConfigInput,
  BackendDescriptor,
  CopyTokenOutcome,
  FormValues,
  Notice,
  ProviderKind,
  SignOutOutcome,
  StorageHealth,
} from '../../../shared/contract.ts'
import type { AccountRegistry } from '../accounts/registry.ts'
import { AppError } from '../errors.ts'
import type { Clipboard, Clock, ExternalBrowser, Logger } from '../ports.ts'
import type { SecretVault } from '../secrets/vault.ts'
import { AccountActions } from './account-actions.ts'
import { AuthFlows, type Started } from './auth-flows.ts'
import type { EventSink } from './events.ts'
import type { ProviderSet } from './provider-set.ts'
import { SessionKeeper } from './session-keeper.ts'
import { toDetail, toSummary } from './summaries.ts'

export interface LatchkeyDeps {
  shell: AppState['shell']
  version: string
  registry: AccountRegistry
  vault: SecretVault
  providers: ProviderSet
  browser: ExternalBrowser
  clipboard: Clipboard | null
  clock: Clock
  logger: Logger
  notices?: Notice[]
  random?: () => number
}

export class Latchkey {
  readonly #deps: LatchkeyDeps
  readonly #keeper: SessionKeeper
  readonly #auth: AuthFlows
  readonly #actions: AccountActions
  readonly #sinks = new Set<EventSink>()
  #notices: Notice[]
  #changeQueued = false

  constructor(deps: LatchkeyDeps) {
    this.#deps = deps
    this.#notices = [...(deps.notices ?? [])]
    const emit = this.#emit
    this.#keeper = new SessionKeeper({ ...deps, changed: () => this.#accountsChanged() })
    this.#auth = new AuthFlows({ ...deps, keeper: this.#keeper, emit })
    this.#actions = new AccountActions({ ...deps, keeper: this.#keeper })
    deps.vault.onChange(() => {
      this.#emit('app:changed', this.appState())
      this.#accountsChanged()
    })
  }

  /** Subscribe a transport to events; returns the unsubscribe function. */
  subscribe(sink: EventSink): () => void {
    this.#sinks.add(sink)
    return () => this.#sinks.delete(sink)
  }

  /** Reads the keychain (one batch) and starts keeping sessions fresh. Shells call this after first paint. */
  loadSecrets(): Promise<void> {
    return this.#keeper.load()
  }

  get secretsLoaded(): boolean {
    return this.#keeper.loaded
  }

  /** The system woke from sleep or the clock jumped. */
  resumed(): void {
    this.#keeper.catchUp()
  }

  appState(): AppState {
    return { shell: this.#deps.shell, storage: this.#deps.vault.health(), notices: [...this.#notices], version: this.#deps.version }
  }

  dismissNotice(id: string): void {
    this.#notices = this.#notices.filter((n) => n.id !== id)
    this.#emit('app:changed', this.appState())
  }

  retryKeychain(): Promise<StorageHealth> {
    return this.#keeper.retryKeychain()
  }

  backends(): BackendDescriptor[] {
    return this.#deps.providers.descriptors()
  }

  accounts(): AccountSummary[] {
    const active = this.#deps.registry.activeId()
    return this.#deps.registry.list().map((r) => toSummary(r, this.#keeper, this.#deps.providers, active))
  }

  summary(id: string): AccountSummary {
    const record = this.#deps.registry.require(id)
    return toSummary(record, this.#keeper, this.#deps.providers, this.#deps.registry.activeId())
  }

  detail(id: string): AccountDetail {
    const record = this.#deps.registry.require(id)
    return toDetail(this.summary(id), record, this.#keeper, this.#deps.providers)
  }

  rename(id: string, label: string): AccountSummary {
    this.#deps.registry.rename(id, label)
    this.#accountsChanged()
    return this.summary(id)
  }

  switchTo(id: string): AccountSummary {
    this.#deps.registry.setActive(id)
    this.#accountsChanged()
    return this.summary(id)
  }

  /** Revokes what it can, forgets the account, and says in a notice what the server did. */
  async remove(id: string): Promise<void> {
    const { label } = this.#deps.registry.require(id)
    let notice: Notice = { id: `removed-${id}`, level: 'info', message: `Removed “${label}”. It held no session.` }
    if (this.#keeper.session(id)) {
      // Revoke what we can before forgetting the account; a refusal does not stop the removal.
      const outcome = await this.#auth.signOut(id, { browserLogout: false }).catch((error: unknown) => {
        this.#deps.logger.warn('remove.sign-out-failed', { accountId: id, error: String(error) })
        return null
      })
      notice = {
        id: notice.id,
        level: outcome?.revokedOnServer ? 'info' : 'warning',
        message: `Removed “${label}”. ${outcome?.message ?? 'Latchkey could not ask the server to revoke its session, so it may stay valid there until it expires.'}`,
      }
    }
    await this.#keeper.drop(id, { all: true })
    this.#deps.registry.remove(id)
    this.#notices = [...this.#notices.filter((n) => n.id !== notice.id), notice]
    this.#emit('app:changed', this.appState())
    this.#accountsChanged()
  }

  async refresh(id: string): Promise<AccountSummary> {
    this.#deps.registry.require(id)
    await this.#keeper.refreshNow(id)
    return this.summary(id)
  }

  async copyToken(id: string, kind: 'access' | 'id'): Promise<CopyTokenOutcome> {
    this.#deps.registry.require(id)
    const session = await this.#keeper.freshSession(id)
    const token = kind === 'access' ? session.accessToken : session.idToken
    if (!token) throw new AppError('NOT_FOUND', 'This account has no ID token.')
    this.#deps.logger.info('token.copied', { accountId: id, kind })
    if (this.#deps.clipboard) {
      await this.#deps.clipboard.writeText(token)
      return { delivered: 'clipboard' }
    }
    return { delivered: 'value', value: token }
  }

  async beginSignIn(kind: ProviderKind, config: BackendConfigInput, label?: string): Promise<AuthStep> {
    return this.#step(await this.#auth.begin(kind, config, label))
  }

  async reauth(id: string): Promise<AuthStep> {
    return this.#step(await this.#auth.reauth(id))
  }

  async completeSignIn(attemptId: string): Promise<AuthStep> {
    return this.#step(await this.#auth.complete(attemptId))
  }

  async openSignInAgain(attemptId: string): Promise<AuthStep> {
    return this.#step(await this.#auth.openAgain(attemptId))
  }

  async continueSignIn(attemptId: string, action: string, values: FormValues): Promise<AuthStep> {
    return this.#step(await this.#auth.continue(attemptId, action, values))
  }

  accountActions(id: string): Promise<AccountAction[]> {
    return this.#actions.list(id)
  }

  async runAccountAction(id: string, form: string, action: string, values: FormValues): Promise<ActionOutcome> {
    const run = await this.#actions.run(id, form, action, values)
    this.#accountsChanged()
    return { message: run.message, account: this.summary(id), created: run.created ? this.summary(run.created) : null }
  }

  cancelSignIn(attemptId: string): void {
    this.#auth.cancel(attemptId)
  }

  signOut(id: string): Promise<SignOutOutcome> {
    return this.#auth.signOut(id)
  }

  dispose(): void {
    this.#auth.cancelAll()
    this.#keeper.dispose()
    this.#sinks.clear()
  }

  /** Stops everything, then waits for keychain writes already under way (a rotated token among them). */
  async shutdown(): Promise<void> {
    this.dispose()
    await this.#deps.vault.flush()
  }

  #step(step: Started): AuthStep {
    return step.kind === 'signed-in' ? { kind: 'done', account: this.summary(step.accountId) } : step
  }

  #emit: EventSink = (event, payload) => {
    for (const sink of this.#sinks) sink(event, payload)
  }

  /** Coalesces bursts of changes into one accounts:changed event per tick. */
  #accountsChanged(): void {
    if (this.#changeQueued) return
    this.#changeQueued = true
    queueMicrotask(() => {
      this.#changeQueued = false
      this.#emit('accounts:changed', this.accounts())
    })
  }
}
