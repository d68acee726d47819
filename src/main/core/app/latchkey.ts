/**
 * The application core: accounts, sessions, sign-in and app state, behind the methods the IPC
 * handlers call. Free of Electron; both shells build one of these through `createLatchkey`.
 */
import type {
  AccountAction,
  AccountDetail,
  AccountListArgs,
  AccountPage,
  ActionOutcome,
  AccountSummary,
  AppState,
  AuthStep,
  BackendConfigInput,
  BackendDescriptor,
  CliAccess,
  CliConsent,
  CopyTokenOutcome,
  EventMap,
  FormValues,
  Notice,
  ProviderKind,
  SignOutOutcome,
  StorageHealth,
} from '../../../shared/contract.ts'
import type { AccountRegistry } from '../accounts/registry.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { AppError } from '../errors.ts'
import type { Clipboard, Clock, ExternalBrowser, Logger } from '../ports.ts'
import type { SecretVault } from '../secrets/vault.ts'
import { auditEntry, type AuditLog } from '../cli/audit.ts'
import { ConsentPrompts, type ConsentAnswer, type ConsentPrompt } from '../cli/consent.ts'
import { TokenHandOut, type AccountLine, type TokenAnswer, type TokenRequest } from '../cli/hand-out.ts'
import { AccountActions } from './account-actions.ts'
import { AccountPages } from './account-pages.ts'
import { AuthFlows, type Started } from './auth-flows.ts'
import { ClipboardGuard } from './clipboard-guard.ts'
import { damagedFilesNotice } from './damaged-files-notice.ts'
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
  /** Where tokens handed to other tools are recorded (the data folder's audit file). */
  audit?: AuditLog | null
  /** Called once a burst of renewals is over (see SessionKeeper); the shells give memory back there. */
  afterRefreshBurst?: () => void
}

export class Latchkey {
  readonly #deps: LatchkeyDeps
  readonly #keeper: SessionKeeper
  readonly #auth: AuthFlows
  readonly #actions: AccountActions
  readonly #pages: AccountPages
  readonly #sinks = new Set<EventSink>()
  /** Takes a copied token off the clipboard again after a minute (Electron; null in the browser shell). */
  readonly #clipboard: ClipboardGuard | null
  #notices: Notice[]
  /** Accounts changed since the last events went out; `all` when the whole list must go. */
  readonly #dirty = new Set<string>()
  #all = false
  #flushQueued = false
  #sentRevision: number
  /** Bumped by every `accounts:changed`; pages carry it, so a window knows whether it has seen the change. */
  #listVersion = 0
  readonly #consent: ConsentPrompts
  readonly #handOut: TokenHandOut
  #promptable: () => boolean = () => false
  #loading: Promise<void> | null = null

  constructor(deps: LatchkeyDeps) {
    this.#deps = deps
    this.#clipboard = deps.clipboard ? new ClipboardGuard(deps.clipboard, deps.clock, deps.logger) : null
    const damaged = damagedFilesNotice(deps.registry.damagedFiles())
    this.#notices = [...(deps.notices ?? []), ...(damaged ? [damaged] : []), ...orphanNotices(deps.registry.orphans())]
    this.#sentRevision = deps.registry.revision
    this.#pages = new AccountPages(deps.registry, deps.providers, (record, activeId) => toSummary(record, this.#keeper, deps.providers, activeId))
    const emit = this.#emit
    this.#keeper = new SessionKeeper({ ...deps, changed: (id) => this.#changed(id) })
    this.#auth = new AuthFlows({ ...deps, keeper: this.#keeper, emit })
    this.#actions = new AccountActions({ ...deps, keeper: this.#keeper })
    this.#consent = new ConsentPrompts(deps.clock, (_prompt, open) => this.#emit('cli:consent', open.map(toConsentDto)))
    this.#handOut = new TokenHandOut({
      ...deps,
      keeper: this.#keeper,
      audit: deps.audit ?? null,
      consent: this.#consent,
      promptable: () => this.#promptable(),
      ready: () => this.loadSecrets(),
      changed: (id) => this.#changed(id),
    })
    deps.vault.onChange((change) => {
      if (change.kind === 'account') {
        this.#changed(change.id)
        return
      }
      this.#emit('app:changed', this.appState())
      this.#changed()
    })
  }

  /** Subscribe a transport to events; returns the unsubscribe function. */
  subscribe(sink: EventSink): () => void {
    this.#sinks.add(sink)
    return () => this.#sinks.delete(sink)
  }

  /** Reads the keychain (one batch) and starts keeping sessions fresh. Shells call this after first paint. */
  loadSecrets(): Promise<void> {
    this.#loading ??= this.#keeper.load(this.#checkAccountFiles()).then(() => {
      this.#vaultNotices()
      // A start that had to read the account files leaves an index for the next one.
      void this.#deps.registry.refreshStaleIndex()
    })
    return this.#loading
  }

  // --- Other tools (`latchkey` on the command line) -------------------------------------------

  /** How the shell says whether a window can ask the person now (none: requests are refused with how to allow). */
  setPromptable(check: () => boolean): void {
    this.#promptable = check
    if (!check()) this.#consent.denyAll()
  }

  /** The window went away: open questions are refused. */
  windowClosed(): void {
    this.#consent.denyAll()
  }

  cliToken(request: TokenRequest): Promise<TokenAnswer> {
    return this.#handOut.token(request)
  }

  async cliAccounts(): Promise<AccountLine[]> {
    await this.loadSecrets()
    return this.#handOut.accounts()
  }

  /** The account a command line names (HandOutError when none or several). */
  cliResolve(query: string | undefined): string {
    return this.#handOut.resolve(query).id
  }

  consentPrompts(): CliConsent[] {
    return this.#consent.open().map(toConsentDto)
  }

  answerConsent(id: string, answer: ConsentAnswer): void {
    if (!this.#consent.answer(id, answer)) throw new AppError('NOT_FOUND', 'That question was already answered or has timed out.')
  }

  cliAccess(id: string): CliAccess {
    const record = this.#deps.registry.require(id)
    return { allowed: record.cliAccess === true, audit: this.#handOut.audit(id).map(auditEntry) }
  }

  setCliAccess(id: string, allowed: boolean): CliAccess {
    this.#deps.registry.require(id)
    this.#handOut.setAllowed(id, allowed)
    return this.cliAccess(id)
  }

  /** "Revoke all": command-line access off, and the account signed out (its session revoked where the server can). */
  async revokeAll(id: string): Promise<SignOutOutcome> {
    this.#deps.registry.require(id)
    this.#handOut.setAllowed(id, false)
    if (this.#keeper.facts(id) === null) return { revokedOnServer: false, browserLogout: 'not-offered', noSession: true, message: 'Command-line access is off. The account held no session.' }
    const outcome = await this.#auth.signOut(id, { browserLogout: false })
    return { ...outcome, message: `Command-line access is off. ${outcome.message}` }
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

  async retryKeychain(): Promise<StorageHealth> {
    const health = await this.#keeper.retryKeychain()
    this.#vaultNotices()
    return health
  }

  /** The action button of a notice: restoring the accounts found without settings. */
  noticeAction(id: string): void {
    if (id !== ORPHANS_NOTICE || !this.#notices.some((n) => n.id === id)) throw new AppError('NOT_FOUND', 'That notice is gone.')
    const restored = this.#deps.registry.restore(this.#deps.registry.orphans().map((a) => a.id))
    this.#deps.logger.info('accounts.restored', { count: restored.length })
    this.#keeper.restored(restored.map((account) => account.id))
    this.dismissNotice(id)
    this.#changed()
  }

  backends(): BackendDescriptor[] {
    return this.#deps.providers.descriptors()
  }

  accounts(): AccountSummary[] {
    const active = this.#deps.registry.activeId()
    return this.#deps.registry.list().map((r) => toSummary(r, this.#keeper, this.#deps.providers, active))
  }

  /** One page of the switcher's list (filtered, grouped), with the active account and its position. */
  accountPage(args: AccountListArgs): AccountPage {
    return { ...this.#pages.page(args), version: this.#listVersion }
  }

  /** What `accounts:changed` says. */
  listChange(): EventMap['accounts:changed'] {
    return { count: this.#deps.registry.count, version: this.#listVersion }
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
    this.#changed(id)
    return this.summary(id)
  }

  /** Only the accounts that gain and lose the active mark go out (one `account:updated` each). */
  switchTo(id: string): AccountSummary {
    const before = this.#deps.registry.activeId()
    this.#deps.registry.setActive(id)
    if (before !== null && before !== id) this.#changed(before)
    this.#changed(id)
    return this.summary(id)
  }

  /** Revokes what it can, forgets the account, and says in a notice what the server did. */
  async remove(id: string, options: { cleanUp?: boolean } = {}): Promise<void> {
    const record = this.#deps.registry.require(id)
    const { label } = record
    let notice: Notice = { id: `removed-${id}`, level: 'info', message: `Removed “${label}”. It held no session.` }
    const { session, config } = this.#keeper.secrets(id)
    const provider = this.#deps.providers.get(record.provider)
    let cleaned = ''
    if (options.cleanUp === true && session && provider.cleanUp) {
      const account = { config: { ...record.config, ...config }, session, identity: record.identity, label }
      cleaned = await provider.cleanUp(account, { clock: this.#deps.clock, logger: this.#deps.logger }).then(
        (message) => ` ${message}`,
        (error: unknown) => {
          this.#deps.logger.warn('remove.clean-up-failed', { accountId: id, error: String(error) })
          return ' Latchkey could not delete what it had created on the server.'
        },
      )
    }
    if (session) {
      // Revoke what we can before forgetting the account; a refusal does not stop the removal.
      const outcome = await this.#auth.signOut(id, { browserLogout: false }).catch((error: unknown) => {
        this.#deps.logger.warn('remove.sign-out-failed', { accountId: id, error: String(error) })
        return null
      })
      notice = {
        id: notice.id,
        level: outcome?.revokedOnServer ? 'info' : 'warning',
        message: `Removed “${label}”. ${outcome?.message ?? 'Latchkey could not ask the server to revoke its session, so it may stay valid there until it expires.'}${cleaned}`,
      }
    }
    await this.#keeper.drop(id, { all: true })
    this.#deps.registry.remove(id)
    this.#putNotice(notice.id, notice)
    this.#emit('app:changed', this.appState())
    this.#changed()
  }

  /** Renews the session now; with `check`, only asks the server whether it is still valid (where the backend can). */
  async refresh(id: string, options: { check?: boolean } = {}): Promise<AccountSummary> {
    this.#deps.registry.require(id)
    await (options.check === true ? this.#keeper.checkNow(id) : this.#keeper.refreshNow(id))
    return this.summary(id)
  }

  async copyToken(id: string, kind: 'access' | 'id'): Promise<CopyTokenOutcome> {
    this.#deps.registry.require(id)
    const session = await this.#keeper.freshSession(id)
    const token = kind === 'access' ? session.accessToken : session.idToken
    if (!token) throw new AppError('NOT_FOUND', 'This account has no ID token.')
    this.#deps.logger.info('token.copied', { accountId: id, kind })
    if (this.#clipboard) {
      await this.#clipboard.copy(token)
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
    this.#changed(id)
    return { message: run.message, account: this.summary(id), created: run.created ? this.summary(run.created) : null }
  }

  cancelSignIn(attemptId: string): void {
    this.#auth.cancel(attemptId)
  }

  signOut(id: string): Promise<SignOutOutcome> {
    return this.#auth.signOut(id)
  }

  dispose(): void {
    this.#consent.denyAll()
    this.#clipboard?.dispose()
    this.#auth.cancelAll()
    this.#keeper.dispose()
    this.#sinks.clear()
    this.#deps.registry.flush()
  }

  /** Stops everything, then waits for keychain writes already under way (a rotated token among them). */
  async shutdown(): Promise<void> {
    this.dispose()
    await this.#deps.vault.flush()
    this.#deps.registry.saveStartupIndex()
  }

  #step(step: Started): AuthStep {
    return step.kind === 'signed-in' ? { kind: 'done', account: this.summary(step.accountId) } : step
  }

  #emit: EventSink = (event, payload) => {
    for (const sink of this.#sinks) sink(event, payload)
  }

  /**
   * Coalesces a tick's changes into events: `account:updated` with just that account for each one
   * that changed, or one `accounts:changed` with the whole list when the list itself changed
   * (`id` omitted, or an account added, removed or made active).
   */
  #changed(id?: string): void {
    if (id === undefined) this.#all = true
    else this.#dirty.add(id)
    if (this.#flushQueued) return
    this.#flushQueued = true
    queueMicrotask(() => {
      this.#flushQueued = false
      const revision = this.#deps.registry.revision
      const all = this.#all || revision !== this.#sentRevision
      const ids = [...this.#dirty]
      this.#all = false
      this.#dirty.clear()
      if (all) {
        this.#sentRevision = revision
        this.#listVersion += 1
        this.#emit('accounts:changed', this.listChange())
        return
      }
      for (const changed of ids) if (this.#deps.registry.has(changed)) this.#emit('account:updated', this.summary(changed))
    })
  }

  /**
   * The account files a start took from the start-up index, compared with it (see
   * AccountRegistry.checkIndexed) while the keychain is read: an account whose file changed
   * behind Latchkey's back is shown as the file has it, and a damaged one is reported.
   */
  async #checkAccountFiles(): Promise<void> {
    let changed: string[]
    try {
      changed = await this.#deps.registry.checkIndexed()
    } catch (error) {
      this.#deps.logger.warn('accounts.index-check-failed', { error: error instanceof Error ? error.message : String(error) })
      return
    }
    for (const id of changed) this.#changed(id)
    const notice = damagedFilesNotice(this.#deps.registry.damagedFiles())
    if (notice && this.#putNotice(notice.id, notice)) this.#emit('app:changed', this.appState())
  }

  /** Puts `notice` in the place of the one with `id` (none: takes it away); returns whether the notices changed. */
  #putNotice(id: string, notice: Notice | null): boolean {
    const current = this.#notices.find((n) => n.id === id)
    if (current === notice || (current && notice && current.level === notice.level && current.message === notice.message)) return false
    this.#notices = [...this.#notices.filter((n) => n.id !== id), ...(notice ? [notice] : [])]
    return true
  }

  /** Notices for what the vault could not open (after the key was read). */
  #vaultNotices(): void {
    const { unreadable, keyReplaced } = this.#deps.vault.problems()
    const count = unreadable.filter((id) => this.#deps.registry.has(id)).length
    const notice: Notice | null =
      count > 0 || keyReplaced
        ? {
            id: UNREADABLE_NOTICE,
            level: 'warning',
            message: keyReplaced
              ? "The key to this data folder's saved sessions was missing from the keychain, so a new one was made; sessions saved with the old key cannot be opened. Sign in again where asked."
              : `${plural(count, 'saved session')} could not be opened (damaged, or changed outside Latchkey). Sign in again where asked; the other sessions are fine.`,
          }
        : null
    if (this.#putNotice(UNREADABLE_NOTICE, notice)) this.#emit('app:changed', this.appState())
  }
}

const ORPHANS_NOTICE = 'orphaned-accounts'

function toConsentDto(prompt: ConsentPrompt): CliConsent {
  return { id: prompt.id, accountId: prompt.accountId, account: prompt.account, command: prompt.command, commandLine: prompt.commandLine }
}

const UNREADABLE_NOTICE = 'vault-unreadable'

function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`
}

/** Accounts whose files are in the data folder but which the settings do not list: offered back. */
function orphanNotices(orphans: AccountRecord[]): Notice[] {
  if (orphans.length === 0) return []
  const names = orphans.slice(0, 3).map((a) => a.label).join(', ') + (orphans.length > 3 ? ` and ${String(orphans.length - 3)} more` : '')
  return [
    {
      id: ORPHANS_NOTICE,
      level: 'warning',
      message: `${plural(orphans.length, 'account')} saved in this data folder ${orphans.length === 1 ? 'is' : 'are'} missing from the settings file (${names}). Restore ${orphans.length === 1 ? 'it' : 'them'} with ${orphans.length === 1 ? 'its' : 'their'} saved session${orphans.length === 1 ? '' : 's'}?`,
      action: { label: orphans.length === 1 ? 'Restore account' : `Restore ${String(orphans.length)} accounts` },
    },
  ]
}
