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
  Unsubscribe,
} from '../../../shared/contract.ts'

export type MainView = 'account' | 'add'

/** Progress messages kept for the waiting screens (the newest ones). */
const PROGRESS_KEPT = 50

export class AppStore {
  readonly api: Api
  status = $state<'loading' | 'ready'>('loading')
  appState = $state<AppState | null>(null)
  accounts = $state<AccountSummary[]>([])
  selectedId = $state<string | null>(null)
  view = $state<MainView>('account')
  /** The last failed call that has no better place on screen. */
  error = $state<AppErrorDto | null>(null)
  progress = $state<AuthProgress[]>([])
  retryingKeychain = $state(false)

  readonly selected = $derived(this.accounts.find((account) => account.id === this.selectedId) ?? null)

  #unsubscribe: Unsubscribe[] = []
  #accountsListeners: (() => void)[] = []

  constructor(api: Api) {
    this.api = api
  }

  /** Subscribes to events, then loads app state and accounts; `status` becomes 'ready' either way. */
  async start(): Promise<void> {
    this.#unsubscribe = [
      this.api.on('accounts:changed', (accounts) => {
        this.setAccounts(accounts)
        for (const listener of this.#accountsListeners) listener()
      }),
      this.api.on('app:changed', (state) => (this.appState = state)),
      this.api.on('auth:progress', (progress) => {
        this.progress = [...this.progress.slice(1 - PROGRESS_KEPT), progress]
      }),
    ]
    const [state, accounts] = await Promise.all([this.api.appState(), this.api.accountsList()])
    if (state.ok) this.appState = state.value
    else this.error = state.error
    if (accounts.ok) this.setAccounts(accounts.value)
    else this.error = accounts.error
    this.status = 'ready'
  }

  /** Calls `listener` after every `accounts:changed`, so open screens can reload what they show. */
  onAccountsChanged(listener: () => void): Unsubscribe {
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
  }

  closeAdd(): void {
    this.view = 'account'
  }

  /** Makes the account active and shows it. */
  async switchTo(id: string): Promise<void> {
    this.show(id)
    const result = await this.api.accountsSwitch({ id })
    if (result.ok) this.upsert(result.value)
    else this.error = result.error
  }

  /** A sign-in finished: list the account, show it, and make it the active one. */
  async accountAdded(account: AccountSummary): Promise<void> {
    this.upsert(account)
    this.show(account.id)
    if (!account.active) await this.switchTo(account.id)
  }

  accountRemoved(id: string): void {
    this.setAccounts(this.accounts.filter((account) => account.id !== id))
  }

  async retryKeychain(): Promise<void> {
    this.retryingKeychain = true
    const result = await this.api.appRetryKeychain()
    this.retryingKeychain = false
    if (!result.ok) this.error = result.error
    else if (this.appState) this.appState = { ...this.appState, storage: result.value }
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
