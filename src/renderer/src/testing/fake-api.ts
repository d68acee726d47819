/**
 * An in-memory `window.latchkey` for renderer tests. It behaves like the main process where the
 * screens can tell (switching, renaming, removing, events) and records every call. A test can
 * replace any method through `override`, and ends a browser sign-in with `finishSignIn`. Form steps
 * (`auth:continue`) and account actions answer as the test scripts them through `override`.
 */
import type {
  AccountAction,
  AccountDetail,
  AccountListArgs,
  AccountPage,
  AccountSummary,
  Api,
  AppErrorDto,
  AppState,
  AuthStep,
  BackendDescriptor,
  CliAccess,
  EventChannel,
  EventMap,
  Result,
} from '../../../shared/contract.ts'
import { arrange, pageOf, searchText } from '../../../shared/account-list.ts'
import { SECRET_TOKEN, account, detailOf } from './fixtures.ts'

type Methods = Omit<Api, 'on'>
export type MethodName = keyof Methods
export interface Call {
  method: MethodName
  args: unknown
}

export interface FakeSeed {
  accounts?: AccountSummary[]
  backends?: BackendDescriptor[]
  appState?: Partial<AppState>
  details?: Record<string, AccountDetail>
  /** What `accounts:actions` lists, per account id. */
  actions?: Record<string, AccountAction[]>
}

/** A resolved success, as the bridge returns it. */
export function succeed<T>(value: T): Promise<Result<T>> {
  return Promise.resolve({ ok: true, value })
}

/** A resolved failure, as the bridge returns it. */
export function failWith<T = never>(code: AppErrorDto['code'], message: string, field?: string): Promise<Result<T>> {
  return Promise.resolve({ ok: false, error: field === undefined ? { code, message } : { code, message, field } })
}

export class FakeApi {
  readonly calls: Call[] = []
  accounts: AccountSummary[]
  backends: BackendDescriptor[]
  appState: AppState
  details: Record<string, AccountDetail>
  actions: Record<string, AccountAction[]>
  /** Bumped by every `accounts:changed`, as in the main process. */
  listVersion = 0
  /** Command-line access and its audit, per account id. */
  cli: Record<string, CliAccess> = {}
  readonly #listeners = new Map<EventChannel, Set<(payload: never) => void>>()
  readonly #waiting = new Map<string, (result: Result<AuthStep>) => void>()
  readonly #overrides: Partial<Record<MethodName, (args: never) => Promise<Result<unknown>>>> = {}
  #attempts = 0
  readonly api: Api

  constructor(seed: FakeSeed = {}) {
    this.accounts = seed.accounts ?? []
    this.backends = seed.backends ?? []
    this.details = seed.details ?? {}
    this.actions = seed.actions ?? {}
    this.appState = {
      shell: 'browser',
      storage: { available: true, reason: null, fix: null },
      notices: [],
      version: '0.1.0',
      ...seed.appState,
    }
    const methods = this.#methods()
    const api: Record<string, unknown> = {
      on: <E extends EventChannel>(event: E, listener: (payload: EventMap[E]) => void) => {
        const set = this.#listeners.get(event) ?? new Set()
        set.add(listener)
        this.#listeners.set(event, set)
        return () => set.delete(listener)
      },
    }
    for (const [name, impl] of Object.entries(methods) as [MethodName, (args: unknown) => Promise<Result<unknown>>][]) {
      api[name] = (args: unknown) => {
        this.calls.push({ method: name, args })
        const override = this.#overrides[name]
        return override ? override(args as never) : impl(args)
      }
    }
    this.api = api as unknown as Api
  }

  /** Replaces one method's behaviour (calls are still recorded). */
  override<M extends MethodName>(method: M, impl: (args: Parameters<Methods[M]>[0]) => ReturnType<Methods[M]>): void {
    this.#overrides[method] = impl
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args)
  }

  emit<E extends EventChannel>(event: E, payload: EventMap[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as (payload: EventMap[E]) => void)(payload)
  }

  /** What `accounts:list` answers, as the main process would (for overrides that answer later). */
  listPage(args: AccountListArgs): AccountPage {
    const title = (summary: AccountSummary): string => this.backends.find((backend) => backend.kind === summary.provider)?.title ?? summary.provider
    const { order, groups } = arrange(this.accounts, args, {
      text: (summary) => searchText({ ...summary, name: summary.user.name, email: summary.user.email, kindName: title(summary) }),
      backend: (summary) => summary.backend,
    })
    const active = this.accounts.find((entry) => entry.active) ?? null
    const activeIndex = active ? order.indexOf(active) : -1
    return {
      accounts: [...pageOf(order, args)],
      offset: args.offset,
      total: order.length,
      all: this.accounts.length,
      groups,
      active,
      activeIndex: activeIndex < 0 ? null : activeIndex,
      version: this.listVersion,
    }
  }

  /** Replaces the list, and says so as the main process does (`accounts:changed`). */
  changeList(accounts: AccountSummary[]): void {
    this.accounts = accounts
    this.listVersion += 1
    this.emit('accounts:changed', { count: accounts.length, version: this.listVersion })
  }

  /** Ends the browser step of an attempt with a signed-in account (added to the list). */
  finishSignIn(attemptId: string, summary: AccountSummary): void {
    this.changeList([...this.accounts.filter((entry) => entry.id !== summary.id), summary])
    this.#waiting.get(attemptId)?.({ ok: true, value: { kind: 'done', account: summary } })
  }

  /** Ends the browser step of an attempt with an error. */
  failSignIn(attemptId: string, error: AppErrorDto): void {
    this.#waiting.get(attemptId)?.({ ok: false, error })
  }

  #update(id: string, change: (summary: AccountSummary) => AccountSummary): AccountSummary | null {
    const current = this.accounts.find((entry) => entry.id === id)
    if (!current) return null
    const next = change(current)
    this.accounts = this.accounts.map((entry) => (entry.id === id ? next : entry))
    this.emit('account:updated', next)
    return next
  }

  /** Why "the browser" does not open in the next browser steps; null = it opens. */
  openFailure: string | null = null

  #browserStep(): Promise<Result<AuthStep>> {
    this.#attempts += 1
    const expiresAt = new Date(Date.now() + 5 * 60_000).toISOString()
    return succeed({ kind: 'browser', attemptId: `attempt-${this.#attempts}`, host: 'id.example.test', expiresAt, url: 'https://id.example.test/authorize?state=s', redirectUri: 'http://127.0.0.1:50000/callback', openFailure: this.openFailure })
  }

  #methods(): Methods {
    const missing = (): Promise<Result<never>> => failWith('NOT_FOUND', 'There is no such account.')
    const find = (id: string): AccountSummary | undefined => this.accounts.find((entry) => entry.id === id)
    return {
      appState: () => succeed(this.appState),
      appDismissNotice: ({ id }) => {
        this.appState = { ...this.appState, notices: this.appState.notices.filter((notice) => notice.id !== id) }
        return succeed(undefined)
      },
      appRetryKeychain: () => succeed(this.appState.storage),
      appNoticeAction: ({ id }) => {
        if (!this.appState.notices.some((notice) => notice.id === id && notice.action)) return failWith('NOT_FOUND', 'That notice is gone.')
        this.appState = { ...this.appState, notices: this.appState.notices.filter((notice) => notice.id !== id) }
        return succeed(undefined)
      },
      backendsList: () => succeed(this.backends),
      accountsList: (args) => succeed(this.listPage(args)),
      accountsDetail: ({ id }) => {
        const summary = find(id)
        if (!summary) return missing()
        const detail = this.details[id]
        return succeed(detail ? { ...detail, account: summary } : detailOf(summary))
      },
      accountsRename: ({ id, label }) => {
        const next = this.#update(id, (entry) => ({ ...entry, label }))
        return next ? succeed(next) : missing()
      },
      accountsSwitch: ({ id }) => {
        if (!find(id)) return missing()
        const before = this.accounts.find((entry) => entry.active)
        this.accounts = this.accounts.map((entry) => ({ ...entry, active: entry.id === id }))
        // As the main process: one `account:updated` for each account that gained or lost the mark.
        if (before && before.id !== id) this.emit('account:updated', find(before.id) ?? account())
        this.emit('account:updated', find(id) ?? account())
        return succeed(find(id) ?? account())
      },
      accountsRemove: ({ id }) => {
        this.changeList(this.accounts.filter((entry) => entry.id !== id))
        return succeed(undefined)
      },
      accountsRefresh: ({ id }) => {
        const summary = find(id)
        return summary ? succeed(summary) : missing()
      },
      accountsCopyToken: () => succeed({ delivered: 'value', value: SECRET_TOKEN }),
      // Fresh objects on every call, as across the real bridge.
      accountsActions: ({ id }) => (find(id) ? succeed(structuredClone(this.actions[id] ?? [])) : missing()),
      accountsRunAction: ({ id }) => {
        const summary = find(id)
        return summary ? succeed({ message: 'Saved.', account: summary, created: null }) : missing()
      },
      authBegin: () => this.#browserStep(),
      authReauth: () => this.#browserStep(),
      authComplete: ({ attemptId }) =>
        new Promise<Result<AuthStep>>((resolve) => this.#waiting.set(attemptId, resolve)),
      authContinue: () => failWith('NOT_FOUND', 'That sign-in has ended. Start again.'),
      authCancel: ({ attemptId }) => {
        this.#waiting.get(attemptId)?.({ ok: false, error: { code: 'AUTH_CANCELLED', message: 'Cancelled.' } })
        return succeed(undefined)
      },
      authOpenAgain: ({ attemptId }) =>
        this.#waiting.has(attemptId)
          ? succeed({ kind: 'browser', attemptId, host: 'id.example.test', expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(), url: 'https://id.example.test/authorize?state=s', redirectUri: 'http://127.0.0.1:50000/callback', openFailure: this.openFailure })
          : failWith('NOT_FOUND', 'That sign-in attempt has already finished or was cancelled.'),
      authSignOut: ({ id }) => {
        this.#update(id, (entry) => ({ ...entry, status: 'signed-out', expiresAt: null }))
        return succeed({ revokedOnServer: true, browserLogout: 'not-offered', message: 'Signed out.' })
      },
      cliAccess: ({ id }) => (find(id) ? succeed(structuredClone(this.cli[id] ?? { allowed: false, audit: [] })) : missing()),
      cliSetAccess: ({ id, allowed }) => {
        if (!find(id)) return missing()
        this.cli[id] = { allowed, audit: this.cli[id]?.audit ?? [] }
        return succeed(structuredClone(this.cli[id]))
      },
      cliRevokeAll: ({ id }) => {
        this.cli[id] = { allowed: false, audit: this.cli[id]?.audit ?? [] }
        this.#update(id, (entry) => ({ ...entry, status: 'signed-out', expiresAt: null }))
        return succeed({ revokedOnServer: true, browserLogout: 'not-offered', message: 'Command-line access is off. Signed out.' })
      },
      cliAnswer: () => succeed(undefined),
    }
  }
}
