/**
 * The app-wide state: app health, the account list, which account is shown, and the event
 * subscriptions that keep them current. Components read it through `appContext`.
 */
import { createContext } from 'svelte'
import type {
  AccountSummary,
  Api,
  AppErrorDto,
  AppState,
  AuthProgress,
  ProviderKind,
  Unsubscribe,
} from '../../../shared/contract.ts'
import type { AddDraft } from './add-account.svelte.ts'
import { FocusRequests, accountScreen, type ScreenKey } from './focus-request.svelte.ts'

export type MainView = 'account' | 'add'

/** Progress messages kept for the waiting screens (the newest ones). */
const PROGRESS_KEPT = 50

export class AppStore {
  readonly api: Api
  status = $state<'loading' | 'ready'>('loading')
  appState = $state<AppState | null>(null)
  /** Replaced, never changed in place (`$state.raw`): ten thousand deep proxies would slow every read. */
  accounts = $state.raw<AccountSummary[]>([])
  selectedId = $state<string | null>(null)
  view = $state<MainView>('account')
  /** The last failed call that has no better place on screen. */
  error = $state<AppErrorDto | null>(null)
  progress = $state<AuthProgress[]>([])
  retryingKeychain = $state(false)
  /** What the last "Try again" on the keychain found, when it is still unavailable. */
  keychainRetryNote = $state<string | null>(null)
  readonly focus = new FocusRequests()
  /** The name of each kind of backend ("OpenID Connect"), for the switcher's tags. */
  kindNames = $state<Partial<Record<ProviderKind, string>>>({})
  /** What was typed on "Add account" when the person left it without adding. */
  addDraft: AddDraft | null = null

  readonly selected = $derived(this.accounts.find((account) => account.id === this.selectedId) ?? null)
  /** The screen in the main pane. */
  readonly screen: ScreenKey = $derived(
    this.view === 'add' ? 'add' : this.selectedId ? accountScreen(this.selectedId) : 'welcome',
  )

  #unsubscribe: Unsubscribe[] = []
  #accountsListeners: ((accounts: AccountSummary[]) => void)[] = []
  /** Events seen so far, so an answer requested before a newer event does not overwrite it. */
  #accountsEvents = 0
  #appEvents = 0
  #switches = 0
  /** One-account updates that arrived while the first list was on its way, applied over it. */
  #earlyUpdates: AccountSummary[] | null = null

  constructor(api: Api) {
    this.api = api
  }

  /** Subscribes to events, then loads app state and accounts; `status` becomes 'ready' either way. */
  async start(): Promise<void> {
    this.#unsubscribe = [
      this.api.on('accounts:changed', (accounts) => {
        this.#accountsEvents += 1
        this.setAccounts(accounts)
        for (const listener of this.#accountsListeners) listener(accounts)
      }),
      this.api.on('account:updated', (summary) => {
        if (this.#earlyUpdates) this.#earlyUpdates.push(summary)
        this.accountUpdated(summary)
      }),
      this.api.on('app:changed', (state) => {
        this.#appEvents += 1
        this.appState = state
      }),
      this.api.on('auth:progress', (progress) => {
        this.progress = [...this.progress.slice(1 - PROGRESS_KEPT), progress]
      }),
    ]
    const [appEvents, accountsEvents] = [this.#appEvents, this.#accountsEvents]
    this.#earlyUpdates = []
    void this.#loadKindNames()
    const [state, accounts] = await Promise.all([this.api.appState(), this.api.accountsList()])
    const early = this.#earlyUpdates
    this.#earlyUpdates = null
    if (!state.ok) this.error = state.error
    else if (appEvents === this.#appEvents) this.appState = state.value
    if (!accounts.ok) this.error = accounts.error
    else if (accountsEvents === this.#accountsEvents) {
      this.setAccounts(accounts.value)
      for (const summary of early) this.accountUpdated(summary)
    }
    this.status = 'ready'
  }

  async #loadKindNames(): Promise<void> {
    const backends = await this.api.backendsList()
    // Without them the switcher shows each kind's short tag alone.
    if (backends.ok) this.kindNames = Object.fromEntries(backends.value.map((backend) => [backend.kind, backend.title]))
  }

  /**
   * One account changed (`account:updated`): only its entry is replaced, so only its row renders
   * again; open screens hear of it like of a whole new list holding just that account.
   */
  accountUpdated(summary: AccountSummary): void {
    const index = this.accounts.findIndex((account) => account.id === summary.id)
    if (index < 0) return
    this.accounts = this.accounts.with(index, summary)
    for (const listener of this.#accountsListeners) listener([summary])
  }

  /** Calls `listener` after every `accounts:changed` (and `account:updated`), so open screens can reload what they show. */
  onAccountsChanged(listener: (accounts: AccountSummary[]) => void): Unsubscribe {
    this.#accountsListeners = [...this.#accountsListeners, listener]
    return () => {
      this.#accountsListeners = this.#accountsListeners.filter((entry) => entry !== listener)
    }
  }

  stop(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe()
    this.#unsubscribe = []
  }

  /** Replaces the list; keeps the shown account if it still exists, else shows the active one. */
  setAccounts(accounts: AccountSummary[]): void {
    this.accounts = accounts
    if (!accounts.some((account) => account.id === this.selectedId)) {
      this.selectedId = (accounts.find((account) => account.active) ?? accounts[0])?.id ?? null
    }
  }

  /** Puts one account's newer summary into the list (or adds it). */
  upsert(summary: AccountSummary): void {
    const others = summary.active
      ? this.accounts.map((account) => (account.active ? { ...account, active: false } : account))
      : this.accounts
    const index = others.findIndex((account) => account.id === summary.id)
    this.accounts = index < 0 ? [...others, summary] : others.with(index, summary)
  }

  show(id: string): void {
    this.selectedId = id
    this.view = 'account'
  }

  showAdd(): void {
    this.view = 'add'
    this.focus.ask('heading', this.screen)
  }

  closeAdd(): void {
    this.view = 'account'
    this.focus.ask('heading', this.screen)
  }

  /** Makes the account active, and shows it once it is (the shown one stays when that fails). */
  async switchTo(id: string): Promise<void> {
    const switchId = ++this.#switches
    if ((await this.#activate(id)) && switchId === this.#switches) this.show(id)
  }

  /** A sign-in finished: list the account, show it (focus on its heading), and make it the active one. */
  async accountAdded(account: AccountSummary): Promise<void> {
    this.upsert(account)
    this.show(account.id)
    this.focus.ask('heading', this.screen)
    this.#switches += 1
    if (!account.active) await this.#activate(account.id)
  }

  async #activate(id: string): Promise<boolean> {
    const result = await this.api.accountsSwitch({ id })
    if (result.ok) this.upsert(result.value)
    else this.error = result.error
    return result.ok
  }

  /**
   * Drops a removed account and shows the one the main process made active in its place (read back,
   * so the detail pane and the active marker agree); focus goes to it, or to "Add account" when none is left.
   */
  async accountRemoved(id: string): Promise<void> {
    const events = this.#accountsEvents
    const fresh = await this.api.accountsList()
    const accounts = fresh.ok && events === this.#accountsEvents ? fresh.value : this.accounts.filter((account) => account.id !== id)
    this.setAccounts(accounts.filter((account) => account.id !== id))
    if (this.view !== 'account') return
    if (this.selectedId) this.focus.ask('account', this.screen)
    else this.focus.ask('add-account', this.screen)
  }

  async retryKeychain(): Promise<void> {
    if (this.retryingKeychain) return
    this.retryingKeychain = true
    this.keychainRetryNote = null
    const appEvents = this.#appEvents
    const result = await this.api.appRetryKeychain()
    this.retryingKeychain = false
    if (!result.ok) {
      this.error = result.error
      return
    }
    const storage = result.value
    if (!storage.available) this.keychainRetryNote = storage.reason ? `Still unavailable: ${storage.reason}` : 'Still unavailable.'
    if (this.appState && appEvents === this.#appEvents) this.appState = { ...this.appState, storage }
  }

  /** Presses a notice's action button (e.g. restoring accounts); the notice goes once it is done. */
  async noticeAction(id: string): Promise<void> {
    const result = await this.api.appNoticeAction({ id })
    if (!result.ok) this.error = result.error
    else if (this.appState) {
      this.appState = { ...this.appState, notices: this.appState.notices.filter((notice) => notice.id !== id) }
    }
  }

  async dismissNotice(id: string): Promise<void> {
    const result = await this.api.appDismissNotice({ id })
    if (!result.ok) this.error = result.error
    else if (this.appState) {
      this.appState = { ...this.appState, notices: this.appState.notices.filter((notice) => notice.id !== id) }
    }
  }
}

export const [getApp, setApp] = createContext<AppStore>()
