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
  BackendDescriptor,
  ProviderKind,
  Unsubscribe,
} from '../../../shared/contract.ts'
import type { FirstAnswers } from '../../../shared/first-frame.ts'
import { AccountList } from './account-list.svelte.ts'
import { readGrouped } from './list-args.ts'
import type { AddDraft } from './add-account.svelte.ts'
import { FocusRequests, accountScreen, type ScreenKey } from './focus-request.svelte.ts'

export type MainView = 'account' | 'add'

/** How long the first answers may take before the window shows its loading screen instead of staying blank. */
export const LOADING_SCREEN_DELAY_MS = 250

/** Progress messages kept for the waiting screens (the newest ones). */
const PROGRESS_KEPT = 50

export class AppStore {
  readonly api: Api
  status = $state<'loading' | 'ready'>('loading')
  appState = $state<AppState | null>(null)
  /** The switcher's list, fetched a page at a time. */
  readonly list: AccountList
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
  /** Started from the first answers the main process drew the page's first frame with (see `seed`). */
  drawn = false
  /** What was typed on "Add account" when the person left it without adding. */
  addDraft: AddDraft | null = null

  /** The screen in the main pane. */
  readonly screen: ScreenKey = $derived(
    this.view === 'add' ? 'add' : this.selectedId ? accountScreen(this.selectedId) : 'welcome',
  )

  #unsubscribe: Unsubscribe[] = []
  #accountsListeners: ((accounts: AccountSummary[]) => void)[] = []
  #appEvents = 0
  /** The first page of the list, asked for by `start`. */
  #firstPage: Promise<unknown> = Promise.resolve()
  #switches = 0

  /**
   * `first`: the answers the main process drew the page's first frame with, when it drew one (see
   * `seed`). The list then starts as drawn, not grouped: whether this window groups it is read (a
   * synchronous call to the browser) only once that frame is painted.
   */
  constructor(api: Api, first: FirstAnswers | null = null) {
    this.api = api
    this.list = new AccountList(api, first ? false : undefined)
    if (first && !this.seed(first)) this.list.grouped = readGrouped()
  }

  /** Subscribes to events, then loads app state and the first page of accounts; `status` becomes 'ready' either way. */
  async start(): Promise<void> {
    this.#unsubscribe = [
      this.api.on('accounts:changed', ({ count, version }) => void this.#listChanged(count, version)),
      this.api.on('account:updated', (summary) => this.accountUpdated(summary)),
      this.api.on('app:changed', (state) => {
        this.#appEvents += 1
        this.appState = state
      }),
      this.api.on('auth:progress', (progress) => {
        this.progress = [...this.progress.slice(1 - PROGRESS_KEPT), progress]
      }),
    ]
    // Drawn from the first answers already (see `seed`): nothing to ask for but the grouped list of
    // a window that groups it, after the drawn frame has been painted.
    if (this.drawn) {
      afterFirstFrame(() => {
        if (this.#unsubscribe.length > 0 && readGrouped()) void this.list.setGrouped(true)
      })
      return
    }
    const appEvents = this.#appEvents
    void this.#loadKindNames()
    const firstPage = this.list.reset()
    this.#firstPage = firstPage
    const [state, listError] = await Promise.all([this.api.appState(), firstPage])
    if (!state.ok) this.error = state.error
    else if (appEvents === this.#appEvents) this.appState = state.value
    if (listError) this.error = listError
    else this.#selectDefault()
    this.status = 'ready'
  }

  /**
   * Takes the answers the main process wrote into the page with the frame it drew (the first page
   * of accounts, the app state, the backends), so the app is ready, and draws what was drawn, from
   * its first render (a hydration must draw the same). `start` then asks for none of them. False
   * (and nothing taken) when any of them is a failure: the app then starts as without them.
   */
  seed(first: FirstAnswers): boolean {
    const { page, appState, backends } = first
    if (!page.ok || !appState.ok || !backends.ok || !this.list.seed(page)) return false
    this.appState = appState.value
    this.kindNames = kindNamesOf(backends.value)
    this.#selectDefault()
    this.status = 'ready'
    this.drawn = true
    return true
  }

  /**
   * The list changed in the main process. One heard while the first page is on its way (the event
   * stream's opening snapshot, usually) waits for that page: when the page already holds the change,
   * nothing is fetched again.
   */
  async #listChanged(count: number, version: number): Promise<void> {
    await this.#firstPage
    if (version <= this.list.version) return
    this.list.all = count
    await this.reloadList()
  }

  async #loadKindNames(): Promise<void> {
    const backends = await this.api.backendsList()
    // Without them the switcher shows each kind's short tag alone.
    if (backends.ok) this.kindNames = kindNamesOf(backends.value)
  }

  /** The freshest summary the window holds of an account (listed or active). */
  summary(id: string): AccountSummary | undefined {
    return this.list.summary(id)
  }

  /** The summary of the account the main pane shows. */
  get selected(): AccountSummary | null {
    return this.selectedId === null ? null : (this.list.summary(this.selectedId) ?? null)
  }

  /**
   * One account changed (`account:updated`): only its entry is replaced, so only its row renders
   * again; open screens hear of it like of a whole new list holding just that account.
   */
  accountUpdated(summary: AccountSummary): void {
    this.list.updated(summary)
    for (const listener of this.#accountsListeners) listener([summary])
  }

  /** Calls `listener` after every `accounts:changed` (with what was fetched again) and `account:updated`, so open screens can reload what they show. */
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

  /** The list changed in the main process: fetch what the window shows again; a shown account that is gone gives way to the active one. */
  async reloadList(): Promise<void> {
    const fetched = await this.list.reload()
    if (this.list.active) fetched.push(this.list.active)
    for (const listener of this.#accountsListeners) listener(fetched)
    if (this.selectedId === null || this.list.summary(this.selectedId)) {
      this.#selectDefault()
      return
    }
    const id = this.selectedId
    const found = await this.api.accountsDetail({ id })
    if (!found.ok && found.error.code === 'NOT_FOUND' && this.selectedId === id) {
      this.selectedId = null
      this.#selectDefault()
    }
  }

  /** Shows the active account (or the first) when none is shown. */
  #selectDefault(): void {
    if (this.selectedId === null) this.selectedId = (this.list.active ?? this.list.rows.get(0))?.id ?? null
  }

  /** Puts one account's newer summary into the list (where it is fetched). */
  upsert(summary: AccountSummary): void {
    this.list.updated(summary)
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
    void this.reloadList()
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
    await this.list.reload()
    if (this.selectedId === id) this.selectedId = null
    this.#selectDefault()
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

function afterFirstFrame(callback: () => void): void {
  requestAnimationFrame(() => setTimeout(callback, 0))
}

function kindNamesOf(backends: BackendDescriptor[]): Partial<Record<ProviderKind, string>> {
  return Object.fromEntries(backends.map((backend) => [backend.kind, backend.title]))
}

export const [getApp, setApp] = createContext<AppStore>()
