/**
 * One account's detail screen: loading its detail, and the actions on it (refresh, sign out,
 * remove, rename, copy a token, sign in again). Created per shown account.
 */
import type {
  AccountDetail,
  AccountSummary,
  Api,
  AppErrorDto,
  AuthProgress,
  Result,
  SignOutOutcome,
} from '../../../shared/contract.ts'
import { AuthFlow } from './auth-flow.svelte.ts'

export type DetailAction = 'refresh' | 'sign-out' | 'remove' | 'rename'
export type TokenKind = 'access' | 'id'

/** What the detail screen tells the rest of the app. */
export interface DetailEvents {
  updated(summary: AccountSummary): void
  removed(id: string): void
}

/** How long "Copied" stays on screen. */
const COPIED_MS = 4000

export class AccountDetailState {
  readonly id: string
  detail = $state<AccountDetail | null>(null)
  loading = $state(false)
  loadError = $state<AppErrorDto | null>(null)
  busy = $state<DetailAction | null>(null)
  actionError = $state<AppErrorDto | null>(null)
  signOutOutcome = $state<SignOutOutcome | null>(null)
  copied = $state<TokenKind | null>(null)
  copying = $state<TokenKind | null>(null)
  readonly flow: AuthFlow

  readonly #api: Api
  readonly #events: DetailEvents
  #loads = 0
  #copiedTimer: ReturnType<typeof setTimeout> | undefined
  /** The summary this screen last saw (as JSON), to reload only when it changes. */
  #seen: string | undefined
  #disposed = false

  /** `summary` is the account as the list shows it now, when it does. */
  constructor(api: Api, id: string, progress: () => AuthProgress[], events: DetailEvents, summary?: AccountSummary) {
    this.#api = api
    this.id = id
    this.#events = events
    this.flow = new AuthFlow(api, progress)
    this.#seen = summary && JSON.stringify(summary)
  }

  /** True while an action or a sign-in runs; buttons ignore clicks then. */
  get working(): boolean {
    return this.busy !== null || this.flow.busy
  }

  /** The account list changed: reloads only when this account's summary is not the one last seen. */
  accountsChanged(accounts: AccountSummary[]): void {
    const mine = accounts.find((entry) => entry.id === this.id)
    if (!mine || !this.#saw(mine)) return
    void this.load()
  }

  /** Loads (or reloads) the detail; what is on screen stays until the new one arrives. */
  async load(): Promise<void> {
    const load = ++this.#loads
    this.loading = true
    const result = await this.#api.accountsDetail({ id: this.id })
    if (load !== this.#loads) return
    this.loading = false
    if (result.ok) {
      this.detail = result.value
      this.loadError = null
    } else {
      this.loadError = result.error
    }
  }

  async refresh(): Promise<void> {
    if (this.working) return
    const summary = await this.#act('refresh', () => this.#api.accountsRefresh({ id: this.id }))
    if (summary) {
      this.#updated(summary)
      await this.load()
    }
  }

  async signOut(): Promise<void> {
    if (this.working) return
    this.signOutOutcome = null
    const outcome = await this.#act('sign-out', () => this.#api.authSignOut({ id: this.id }))
    if (outcome) {
      this.signOutOutcome = outcome
      await this.load()
    }
  }

  async remove(): Promise<void> {
    if (this.working) return
    const done = await this.#act('remove', async () => {
      const result = await this.#api.accountsRemove({ id: this.id })
      return result.ok ? { ok: true as const, value: true } : result
    })
    if (done) this.#events.removed(this.id)
  }

  /** Saves a new label; resolves with the error to show next to the input, or null when saved. */
  async rename(label: string): Promise<AppErrorDto | null> {
    const trimmed = label.trim()
    if (!trimmed) return { code: 'VALIDATION', message: 'Enter a name for the account.', field: 'label' }
    this.busy = 'rename'
    const result = await this.#api.accountsRename({ id: this.id, label: trimmed })
    this.busy = null
    if (!result.ok) return result.error
    this.#updated(result.value)
    if (this.detail) this.detail = { ...this.detail, account: result.value }
    return null
  }

  /** Signs in again with the account's backend configuration (`host` is where it goes). */
  async reauth(host: string): Promise<void> {
    if (this.working) return
    this.actionError = null
    this.signOutOutcome = null
    const end = await this.flow.run(() => this.#api.authReauth({ id: this.id }), host)
    if (this.#disposed) return
    if (end.kind === 'done') {
      this.#updated(end.account)
      await this.load()
    } else if (end.kind === 'failed') {
      this.actionError = end.error
    }
  }

  /** Copies a token on an explicit click. A value handed back is written to the clipboard, never kept. */
  async copy(kind: TokenKind): Promise<void> {
    this.copied = null
    this.actionError = null
    this.copying = kind
    const result = await this.#api.accountsCopyToken({ id: this.id, kind })
    let error = result.ok ? null : result.error
    if (result.ok && result.value.delivered === 'value') {
      try {
        await navigator.clipboard.writeText(result.value.value)
      } catch {
        error = { code: 'INTERNAL', message: 'The clipboard could not be written. Allow clipboard access and try again.' }
      }
    }
    this.copying = null
    if (error) {
      this.actionError = error
      return
    }
    this.copied = kind
    clearTimeout(this.#copiedTimer)
    this.#copiedTimer = setTimeout(() => (this.copied = null), COPIED_MS)
  }

  dispose(): void {
    this.#disposed = true
    clearTimeout(this.#copiedTimer)
    void this.flow.cancel()
  }

  #updated(summary: AccountSummary): void {
    this.#saw(summary)
    this.#events.updated(summary)
  }

  /** Records the summary; true when it differs from the one seen before. */
  #saw(summary: AccountSummary): boolean {
    const json = JSON.stringify(summary)
    if (json === this.#seen) return false
    this.#seen = json
    return true
  }

  async #act<T>(action: DetailAction, call: () => Promise<Result<T>>): Promise<T | null> {
    this.busy = action
    this.actionError = null
    const result = await call()
    this.busy = null
    if (result.ok) return result.value
    this.actionError = result.error
    return null
  }
}
