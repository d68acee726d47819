/**
 * One account's detail screen: loading its detail, the actions on it (refresh, sign out, remove,
 * rename, copy a token, sign in again), and what its backend offers beyond sign-in (profile,
 * security, administration forms). Created per shown account.
 */
import type {
  AccountAction,
  AccountDetail,
  AccountSummary,
  Api,
  AppErrorDto,
  AuthProgress,
  FormValues,
  Result,
  SignOutOutcome,
} from '../../../shared/contract.ts'
import { AuthFlow } from './auth-flow.svelte.ts'
import { clearClipboardLater } from './clipboard-later.ts'

export type DetailAction = 'refresh' | 'sign-out' | 'remove' | 'rename'
export type TokenKind = 'access' | 'id'

/** What the detail screen tells the rest of the app. */
export interface DetailEvents {
  updated(summary: AccountSummary): void
  removed(id: string): void | Promise<void>
  /** An action added another account (impersonation). */
  added(summary: AccountSummary): void
}

/** What the last account action that went through said, and which form it came from. */
export interface ActionResult {
  form: string
  message: string
  created: AccountSummary | null
}

/** Account actions are offered while the account holds a session. */
export function canAct(summary: AccountSummary): boolean {
  return summary.status === 'signed-in' || summary.status === 'refreshing'
}

/** What an account that cannot sign in again (an impersonated session) offers instead. */
export const IMPERSONATE_AGAIN = 'This session came from impersonation, so it cannot sign in again: impersonate again from the superuser account.'

/** How long "Copied" stays on screen. */
const COPIED_MS = 8000

export class AccountDetailState {
  readonly id: string
  detail = $state<AccountDetail | null>(null)
  loading = $state(false)
  loadError = $state<AppErrorDto | null>(null)
  busy = $state<DetailAction | null>(null)
  actionError = $state<AppErrorDto | null>(null)
  signOutOutcome = $state<SignOutOutcome | null>(null)
  copied = $state<TokenKind | null>(null)
  /** What "Copied" says about the clipboard afterwards. */
  copiedNote = $state('')
  copying = $state<TokenKind | null>(null)
  /** What the backend offers for this account; [] while it cannot act. */
  actions = $state<AccountAction[]>([])
  actionsError = $state<AppErrorDto | null>(null)
  /** The action form being sent. */
  running = $state<string | null>(null)
  /** The refusal of each action form's last press, by form id (shown in that form). */
  formErrors = $state<Record<string, AppErrorDto>>({})
  actionResult = $state<ActionResult | null>(null)
  readonly flow: AuthFlow

  readonly #api: Api
  readonly #events: DetailEvents
  #loads = 0
  #copiedTimer: ReturnType<typeof setTimeout> | undefined
  /** The summary this screen last saw (as JSON), to reload only when it changes. */
  #seen: string | undefined
  #disposed = false
  #actionLoads = 0
  /** The actions were asked for since the account last became able to act. */
  #actionsAsked = false
  /** The last request for the actions, until it is answered. */
  #actionsLoading: Promise<void> = Promise.resolve()

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
    return this.busy !== null || this.flow.busy || this.running !== null
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
      this.#syncActions(result.value.account)
    } else {
      this.loadError = result.error
    }
  }

  /** Renews the session now; `check`: only asks the server whether it is still valid. */
  async refresh(options: { check?: boolean } = {}): Promise<void> {
    if (this.working) return
    const summary = await this.#act('refresh', () => this.#api.accountsRefresh(options.check === true ? { id: this.id, check: true } : { id: this.id }))
    if (summary) {
      this.#updated(summary)
      await this.load()
    }
  }

  async signOut(): Promise<void> {
    if (this.working) return
    this.signOutOutcome = null
    this.actionResult = null
    const outcome = await this.#act('sign-out', () => this.#api.authSignOut({ id: this.id }))
    if (outcome) {
      this.signOutOutcome = outcome
      await this.load()
    }
  }

  /** `cleanUp`: the person ticked the backend's remove option (delete what Latchkey created there). */
  async remove(cleanUp = false): Promise<void> {
    if (this.working) return
    const done = await this.#act('remove', async () => {
      const result = await this.#api.accountsRemove(cleanUp ? { id: this.id, cleanUp: true } : { id: this.id })
      return result.ok ? { ok: true as const, value: true } : result
    })
    if (done) await this.#events.removed(this.id)
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

  /** Loads (or reloads) what the backend offers for this account; the forms on screen stay until it arrives. */
  loadActions(): Promise<void> {
    this.#actionsLoading = this.#loadActions()
    return this.#actionsLoading
  }

  async #loadActions(): Promise<void> {
    const load = ++this.#actionLoads
    this.#actionsAsked = true
    const result = await this.#api.accountsActions({ id: this.id })
    if (load !== this.#actionLoads || this.#disposed) return
    if (result.ok) {
      this.actions = unchangedKept(this.actions, result.value)
      this.actionsError = null
    } else {
      this.actionsError = result.error
      this.#actionsAsked = false
    }
  }

  /**
   * Presses `action` on the account action `form`. Resolves true when it went through: the outcome
   * is shown, the account, its detail and the actions are brought up to date. A refusal stays with
   * the form (`formErrors`).
   */
  async runAction(form: string, action: string, values: FormValues): Promise<boolean> {
    if (this.working) return false
    this.running = form
    this.actionResult = null
    this.signOutOutcome = null
    this.formErrors = withoutKey(this.formErrors, form)
    const result = await this.#api.accountsRunAction({ id: this.id, form, action, values })
    this.running = null
    if (this.#disposed) return result.ok
    if (!result.ok) {
      this.formErrors = { ...this.formErrors, [form]: result.error }
      return false
    }
    const { message, account, created } = result.value
    this.actionResult = { form, message, created }
    if (created) this.#events.added(created)
    this.#updated(account)
    // The profile may have changed, and with it the forms' values: ask for both again, and resolve
    // once both are on screen, so focus is placed after the form pressed may have gone with them.
    this.#actionsAsked = false
    await this.load()
    await this.#actionsLoading
    return true
  }

  /** Copies a token on an explicit click. A value handed back is written to the clipboard, never kept. */
  async copy(kind: TokenKind): Promise<void> {
    this.copied = null
    this.actionError = null
    this.copying = kind
    const result = await this.#api.accountsCopyToken({ id: this.id, kind })
    let error = result.ok ? null : result.error
    let note = 'Copied. Latchkey takes it off the clipboard after a minute if it is still there.'
    if (result.ok && result.value.delivered === 'value') {
      try {
        await navigator.clipboard.writeText(result.value.value)
        if ((await clearClipboardLater(result.value.value)) === 'not-allowed') {
          note = 'Copied. This browser does not let Latchkey check the clipboard later: clear it yourself when you are done.'
        }
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
    this.copiedNote = note
    clearTimeout(this.#copiedTimer)
    this.#copiedTimer = setTimeout(() => (this.copied = null), COPIED_MS)
  }

  dispose(): void {
    this.#disposed = true
    clearTimeout(this.#copiedTimer)
    void this.flow.cancel()
  }

  /** Asks for the actions once each time the account becomes able to act; drops them when it cannot. */
  #syncActions(summary: AccountSummary): void {
    if (canAct(summary)) {
      if (!this.#actionsAsked) void this.loadActions()
      return
    }
    this.#actionLoads += 1
    this.#actionsAsked = false
    this.actions = []
    this.actionsError = null
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

/**
 * The reloaded actions, with each one the backend sent again unchanged kept as the same object: its
 * form on screen is not replaced, so what is being typed there (a code that just arrived) stays.
 */
function unchangedKept(shown: AccountAction[], next: AccountAction[]): AccountAction[] {
  const before = new Map(shown.map((action) => [action.id, action]))
  return next.map((action) => {
    const old = before.get(action.id)
    return old !== undefined && JSON.stringify(old) === JSON.stringify(action) ? old : action
  })
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([entry]) => entry !== key))
}
