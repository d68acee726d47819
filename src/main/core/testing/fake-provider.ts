/** A scriptable backend for core tests: the test decides what sign-in, refresh and sign-out do. */
import { AppError } from '../errors.ts'
import type { AccountAction, FormValues } from '../../../shared/contract.ts'
import type { ActionResult, BrowserSignIn, FormSignIn, Provider, ProviderAccount, RefreshResult, SignInOptions, SignInStart, SignOutResult } from '../provider.ts'
import type { Session, SignedIn } from '../sessions/session.ts'

export interface FakeProvider extends Provider {
  /** Every refresh call, with the session it was given. */
  refreshCalls: Session[]
  /** What the next refreshes do; when empty, a refresh returns a new token living `lifetimeMs`. */
  refreshPlan: ((session: Session) => Promise<RefreshResult>)[]
  lifetimeMs: number
  signOutResult: SignOutResult
  /** Finish the pending browser sign-in as this user (or with an error). */
  completeBrowser(outcome: SignedIn | AppError): void
  openedUrls: string[]
  /** When set, the next sign-in starts with this (a form step, or done) instead of the browser. */
  nextStart: SignInStart | null
  /** The options of every sign-in started, in order. */
  signInOptions: (SignInOptions | undefined)[]
  /** Sessions passed to signOut (revoked, or forgotten locally). */
  signedOut: Session[]
  /** Account actions: what `actions` lists and what `runAction` does. */
  actionList: AccountAction[]
  runActionWith: ((account: ProviderAccount, form: string, action: string, values: FormValues) => Promise<ActionResult>) | null
  /** Mutable stand-in for a backend whose tokens renew without a refresh token (PocketBase). */
  refreshesWithoutRefreshToken: boolean
  /** Mutable stand-in for a backend whose renewal leaves the old token valid (PocketBase). */
  renewalKeepsOldToken: boolean
  /** Mutable stand-in for a backend whose sign-out ends a server-side session (Teable). */
  signOutEndsSession: boolean
  /** The remove confirmation's box, and what ticking it does (null: no box). */
  removeOptionText: string | null
  cleanedUp: ProviderAccount[]
}

/** A form step whose answers the test scripts: `answer(action, values)` decides what comes next. */
export function formStep(id: string, answer: (action: string, values: FormValues) => Promise<SignInStart>): FormSignIn & { cancelled: boolean } {
  const step = {
    kind: 'form' as const,
    form: { id, title: id, fields: [{ key: 'code', label: 'Code', kind: 'code' as const, required: true }], actions: [{ id: 'go', label: 'Go' }] },
    submit: answer,
    cancelled: false,
    cancel: () => void (step.cancelled = true),
  }
  return step
}

let counter = 0

export function fakeSession(now: number, lifetimeMs: number, overrides: Partial<Session> = {}): Session {
  counter++
  return {
    accessToken: `access-${counter}`,
    refreshToken: `refresh-${counter}`,
    idToken: null,
    tokenType: 'bearer',
    scopes: ['openid'],
    expiresAt: now + lifetimeMs,
    issuedAt: now,
    ...overrides,
  }
}

export function signedInAs(subject: string, session: Session): SignedIn {
  return { session, identity: { subject, name: subject.toUpperCase(), email: `${subject}@example.test` }, profile: { name: subject } }
}

export function fakeProvider(now: () => number): FakeProvider {
  let pending: { resolve(s: SignedIn): void; reject(e: unknown): void } | null = null
  const provider: FakeProvider = {
    kind: 'oidc',
    descriptor: {
      kind: 'oidc',
      title: 'Fake',
      description: 'A scriptable backend',
      signInLabel: 'Sign in with browser',
      fields: [
        { key: 'issuer', label: 'Issuer URL', kind: 'url', required: true },
        { key: 'clientSecret', label: 'Client secret', kind: 'secret', required: false },
      ],
    },
    refreshCalls: [],
    refreshPlan: [],
    lifetimeMs: 3_600_000,
    openedUrls: [],
    nextStart: null,
    signedOut: [],
    signInOptions: [],
    actionList: [],
    runActionWith: null,
    refreshesWithoutRefreshToken: false,
    renewalKeepsOldToken: false,
    signOutEndsSession: false,
    removeOptionText: null,
    cleanedUp: [],
    removeOption: () => provider.removeOptionText,
    cleanUp: (account) => {
      provider.cleanedUp.push(account)
      return Promise.resolve('Deleted 1 thing Latchkey had created.')
    },
    signOutResult: { revokedOnServer: true, endSessionUrl: null, message: 'The server revoked the session.' },
    parseConfig(input) {
      if (!input.issuer?.startsWith('https://')) throw new AppError('VALIDATION', 'Use an https:// issuer URL.', { field: 'issuer' })
      return { issuer: input.issuer, clientSecret: input.clientSecret ?? '' }
    },
    backendName: (config) => new URL(config.issuer ?? 'https://unknown').host,
    beginSignIn(_config, _ctx, options) {
      provider.signInOptions.push(options)
      const scripted = provider.nextStart
      if (scripted) {
        provider.nextStart = null
        return Promise.resolve(scripted)
      }
      const result = new Promise<SignedIn>((resolve, reject) => (pending = { resolve, reject }))
      const signIn: BrowserSignIn = {
        kind: 'browser',
        url: 'https://id.example.test/authorize?state=s',
        expiresAt: now() + 300_000,
        result,
        cancel: () => pending?.reject(new AppError('AUTH_CANCELLED', 'Sign-in cancelled.')),
      }
      return Promise.resolve(signIn)
    },
    completeBrowser(outcome) {
      if (outcome instanceof AppError) pending?.reject(outcome)
      else pending?.resolve(outcome)
    },
    refresh(_config, session) {
      provider.refreshCalls.push(session)
      const next = provider.refreshPlan.shift()
      if (next) return next(session)
      return Promise.resolve({ session: fakeSession(now(), provider.lifetimeMs) })
    },
    signOut: (_config, session) => {
      provider.signedOut.push(session)
      return Promise.resolve(provider.signOutResult)
    },
    actions: () => Promise.resolve(provider.actionList),
    runAction: (account, form, action, values) => {
      if (!provider.runActionWith) return Promise.reject(new AppError('UNSUPPORTED', 'No action scripted.'))
      return provider.runActionWith(account, form, action, values)
    },
  }
  return provider
}
