/**
 * The one contract between the renderer and the main process.
 *
 * Types and const arrays only: no runtime imports, so the sandboxed preload and the
 * browser-shell bridge can both bundle it. Every invoke resolves to a `Result`; nothing
 * throws across the bridge. DTOs are plain data (ISO strings for dates) and never carry a
 * secret: the only channel that yields a token is `accounts:copyToken`, used on an explicit click.
 */

// ---------------------------------------------------------------------------------------------
// Results and errors

export const ERROR_CODES = [
  'VALIDATION', // an argument did not match the channel's schema
  'NOT_FOUND', // no such account / attempt
  'INTERNAL', // a bug: a handler threw something unexpected
  'FORBIDDEN_SENDER', // the call came from a frame or origin that is not the app
  'AUTH_CANCELLED', // the person cancelled a sign-in
  'AUTH_TIMEOUT', // the browser step was not completed in time
  'AUTH_DENIED', // the identity provider answered access_denied (or similar)
  'AUTH_STATE_MISMATCH', // the browser came back with a state we did not send
  'AUTH_FAILED', // the provider rejected the sign-in for another reason
  'DISCOVERY_FAILED', // the server's metadata could not be read, or it is not the kind of server chosen
  'PORT_IN_USE', // a pinned loopback port is taken
  'NETWORK', // the server could not be reached
  'REFRESH_REJECTED', // the server refused the refresh token
  'KEYCHAIN_UNAVAILABLE', // the OS keychain could not be used
  'UNSUPPORTED', // the backend cannot do this
  'RATE_LIMITED', // the server asks to wait before trying again (the message says until when)
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface AppErrorDto {
  code: ErrorCode
  message: string
  /** The argument field a VALIDATION error is about, when there is one. */
  field?: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorDto }

// ---------------------------------------------------------------------------------------------
// Accounts

export const PROVIDER_KINDS = ['oidc', 'pocketbase', 'teable', 'synmetrix', 'authing', 'supabase'] as const
export type ProviderKind = (typeof PROVIDER_KINDS)[number]

/** signed-in → refreshing → signed-in | needs-attention; signed-out after sign-out (kept until removed). */
export type AccountStatus = 'signed-in' | 'refreshing' | 'needs-attention' | 'signed-out'

export type AttentionReason =
  | 'refresh-rejected' // the server refused the refresh token (expired, rotated elsewhere)
  | 'revoked' // the session was revoked on the server
  | 'network-down' // refreshes keep failing because the server cannot be reached
  | 'keychain-unavailable' // the session could not be read from the keychain
  | 'expired' // the access token expired and there is nothing to refresh it with
  | 'rate-limited' // the server asked Latchkey to wait (a 429): renewal resumes at `retryAt`

export interface Attention {
  reason: AttentionReason
  message: string
  /** ISO time the problem started (for network-down: since when). */
  since: string
  /** ISO time renewal tries again (rate-limited: not before the time the server gave). */
  retryAt?: string
}

/** Where the account's session lives: the OS keychain, or only this process's memory. */
export type StorageState = 'keychain' | 'memory-only'

/**
 * How the session stays usable: 'automatic' = renewed before it expires; 'check' = the server never
 * renews this token (it is static), Latchkey only checks that it is still valid (at startup and on
 * demand); 'none' = nothing renews it, it ends at its expiry.
 */
export type Renewal = 'automatic' | 'check' | 'none'

/**
 * A credential an account holds next to its session (Teable: a personal access token), with a
 * status of its own: a dead token needs attention without touching the session's status.
 */
export interface CredentialStatus {
  /** What it is, e.g. 'personal-access-token'. */
  kind: string
  /** How the person knows it: its name on the server, or "Pasted token". */
  label: string
  status: 'ok' | 'needs-attention' | 'unknown'
  /** ISO time it expires, when it does. */
  expiresAt?: string
  /** What it is for, or what to do about it. */
  message?: string
}

export interface AccountSummary {
  id: string
  label: string
  provider: ProviderKind
  /** Human name of the backend instance, e.g. the issuer host. */
  backend: string
  status: AccountStatus
  attention: Attention | null
  /** When the current access token expires (ISO), or null when unknown / never. */
  expiresAt: string | null
  renewal: Renewal
  storage: StorageState
  active: boolean
  user: { subject: string; name: string | null; email: string | null }
  /** True while the account holds a session here; without one there is no expiry, storage or token to show. */
  hasSession: boolean
  /** False when "Sign in again" cannot work (a session from impersonation: impersonate again instead). */
  canSignInAgain: boolean
  /**
   * True when the server can be asked whether this renewing session is still valid without renewing
   * it ("Check session"; done at start-up too), e.g. Authing's login-status check.
   */
  checkable?: boolean
  /** Credentials held next to the session, each with its own status (providers holding more than one). */
  credentials?: CredentialStatus[]
}

/**
 * One page of the switcher's list: the accounts whose label, name, email or backend hold every word
 * of `query` (any case; all accounts without one), in list order or grouped by backend (backends by
 * name, accounts in list order within each), from `offset`, at most `limit`.
 */
export interface AccountListArgs {
  offset: number
  limit: number
  query?: string
  grouped?: boolean
}

/** A backend's heading in the grouped list: its name and how many of the listed accounts it holds. */
export interface AccountGroup {
  backend: string
  count: number
}

export interface AccountPage {
  /** The listed accounts from `offset` on (at most `limit`). */
  accounts: AccountSummary[]
  offset: number
  /** How many accounts the query lists. */
  total: number
  /** How many accounts there are in all. */
  all: number
  /** The backends in display order, when grouped; null otherwise. */
  groups: AccountGroup[] | null
  /** The active account, whether or not the query lists it, and its position in the list (null when not listed). */
  active: AccountSummary | null
  activeIndex: number | null
  /** The list's version when answered: an `accounts:changed` of this version or older is already in. */
  version: number
}

export interface TokenInspection {
  kind: 'access' | 'id'
  /** The decoded claims of a JWT, or null when the token is opaque. Never the token itself. */
  claims: Record<string, unknown> | null
  scopes: string[]
  issuedAt: string | null
  expiresAt: string | null
}

/** What a value is, where the backend's protocol says so: a yes/no, or a moment in time. */
export const VALUE_KINDS = ['yes-no', 'time'] as const
export type ValueKind = (typeof VALUE_KINDS)[number]

export interface ProfileField {
  key: string
  label: string
  /** The value as text: as the server sent it, or for a `kind` its plain form ("true"/"false", an ISO time). */
  value: string
  /** Absent for text, which is shown as it is. */
  kind?: ValueKind
}

export interface AccountDetail {
  account: AccountSummary
  profile: ProfileField[]
  tokens: TokenInspection[]
  /** The configuration the account was added with, minus anything secret. */
  config: ProfileField[]
  lastRefreshAt: string | null
  canRevoke: boolean
  /**
   * A box the remove confirmation offers to tick, when the backend can clean up on the server what
   * Latchkey created for this account (e.g. "Also delete the 2 access tokens Latchkey created").
   */
  removeOption?: string | null
}

/** A token handed to another tool (`latchkey token`), or refused: as the calling command reported itself. Never the token. */
export interface CliAuditEntry {
  at: string
  command: string
  pid: number | null
  /** The processes that ran the command, nearest first (`bash ./deploy.sh ← make deploy`). */
  via?: string
  outcome: 'handed-out' | 'refused'
  kind: string
  role?: string
  reason?: string
}

/** Whether command-line tools may use an account, and what they took lately (newest first). */
export interface CliAccess {
  allowed: boolean
  audit: CliAuditEntry[]
}

/** A command asks for an account whose command-line access is off: the window asks the person once. */
export interface CliConsent {
  id: string
  accountId: string
  /** The account (its email, else its label). */
  account: string
  /** The calling command's name (`curl`) and its command line, as it reported them. */
  command: string
  commandLine: string
}

export interface SignOutOutcome {
  /** True only when the server confirmed it revoked the session. */
  revokedOnServer: boolean
  /**
   * The identity provider's own browser session: 'opened' when its sign-out page was opened in the
   * browser (RP-initiated logout), 'not-offered' when the provider has none, 'not-asked' when it
   * has one and it was not asked for ("Revoke all"), 'failed' when the browser could not be opened.
   */
  browserLogout: 'opened' | 'not-offered' | 'not-asked' | 'failed'
  /** There was no session to end (the account was signed out already): nothing was revoked, nothing is left. */
  noSession?: true
  /** The server has no way to revoke a session (PocketBase): `message` says so, and until when it stays valid. */
  cannotRevoke?: true
  message: string
}

export type CopyTokenOutcome =
  | { delivered: 'clipboard' } // the main process wrote it to the OS clipboard
  | { delivered: 'value'; value: string } // the browser shell hands it to the page to copy

// ---------------------------------------------------------------------------------------------
// Backends (data-driven "Add account")

export interface ConfigField {
  key: string
  label: string
  kind: 'url' | 'text' | 'secret' | 'number' | 'choice'
  required: boolean
  placeholder?: string
  help?: string
  defaultValue?: string
  /** For 'choice': the values offered, each with what the person reads. */
  options?: { value: string; label: string }[]
}

/** A ready-made configuration offered on "Add account" (the demo servers use these). */
export interface BackendPreset {
  name: string
  config: BackendConfigInput
}

export interface BackendDescriptor {
  kind: ProviderKind
  title: string
  description: string
  fields: ConfigField[]
  /** The label on the primary sign-in button. */
  signInLabel: string
  presets: BackendPreset[]
}

export type BackendConfigInput = Record<string, string>

// ---------------------------------------------------------------------------------------------
// Forms a backend asks the person to fill in: sign-in steps (password, one-time code, MFA) and
// account actions (profile, password, email, impersonation). The renderer draws them from data.

export type FormFieldKind =
  | 'text'
  | 'email'
  | 'password' // an existing password
  | 'new-password' // a password being chosen
  | 'code' // a one-time code or a token from an email
  | 'number'
  | 'checkbox' // value 'true' | 'false'
  | 'choice' // one of `options`
  | 'image' // a picture file, sent as FormFileValue
  | 'qr' // read-only, sends nothing: `preview` is a QR code (a data: URL made by the main process) and `value` the same secret as text

export interface FormFieldSpec {
  key: string
  label: string
  kind: FormFieldKind
  required: boolean
  /** The initial value ('true' / 'false' for a checkbox). */
  value?: string
  help?: string
  placeholder?: string
  /** For 'choice'. */
  options?: { value: string; label: string }[]
  /** For 'image': the accepted MIME types and the largest file, checked before anything is sent. */
  accept?: string[]
  maxBytes?: number
  /** For 'image': the current picture as a data: URL (fetched by the main process), or null. */
  preview?: string | null
  /** The value must equal this other field's (a password confirmation). */
  sameAs?: string
  minLength?: number
}

export interface FormAction {
  id: string
  label: string
  /** The fields this button sends and checks; all of them when absent. */
  fields?: string[]
}

export interface FormSpec {
  id: string
  title: string
  description?: string
  fields: FormFieldSpec[]
  /** The buttons; the first is the primary one (Enter presses it). */
  actions: FormAction[]
  /** When what this form continues stops being valid (an MFA session, an emailed code), ISO. */
  expiresAt?: string
}

/** A file picked in an 'image' field. */
export interface FormFileValue {
  name: string
  type: string
  base64: string
}
export type FormValue = string | FormFileValue
export type FormValues = Record<string, FormValue>

/** Something a signed-in account can do beyond sign-in, drawn as a form. */
export interface AccountAction {
  /** Also the form's id. */
  id: string
  group: 'profile' | 'security' | 'admin'
  form: FormSpec
}

export interface ActionOutcome {
  message: string
  /** The account afterwards (signed in again after a token rotation, or needing attention). */
  account: AccountSummary
  /** An account the action added (impersonation), else null. */
  created: AccountSummary | null
}

export type AuthStep =
  | {
      kind: 'browser'
      attemptId: string
      /** The sign-in page was opened in the system browser; this is where it went (no secrets in it). */
      host: string
      expiresAt: string
      /**
       * The sign-in address, to copy or open by hand when no browser opened. It carries the attempt's
       * `state` and PKCE challenge but no secret: the loopback receiver and the code verifier stay here.
       */
      url: string
      /** The redirect URI this sign-in uses, for a server that must have it registered exactly; null if none. */
      redirectUri: string | null
      /** Why the browser could not be opened, in plain words; null when it opened. */
      openFailure: string | null
    }
  | {
      kind: 'form'
      attemptId: string
      /** What to ask next (a password, a code, a second factor); answered with `auth:continue`. */
      form: FormSpec
    }
  | { kind: 'done'; account: AccountSummary }

export type AuthStage = 'opening-browser' | 'waiting-browser' | 'exchanging' | 'done' | 'failed' | 'cancelled'

export interface AuthProgress {
  attemptId: string
  stage: AuthStage
  message: string
}

// ---------------------------------------------------------------------------------------------
// App state

export interface StorageHealth {
  available: boolean
  /** Why the keychain cannot be used, in words a person understands. */
  reason: string | null
  /** What the person can do about it. */
  fix: string | null
}

export interface Notice {
  id: string
  level: 'info' | 'warning' | 'error'
  message: string
  /** A button that does what the notice offers (`app:noticeAction` with the notice's id). */
  action?: { label: string }
}

export interface AppState {
  shell: 'electron' | 'browser'
  storage: StorageHealth
  notices: Notice[]
  version: string
}

// ---------------------------------------------------------------------------------------------
// Channels

/** Every invoke channel with its argument and result types. */
export interface InvokeMap {
  'app:state': { args: void; result: AppState }
  'app:dismissNotice': { args: { id: string }; result: void }
  'app:retryKeychain': { args: void; result: StorageHealth }
  /** Press the action button of a notice (e.g. restore accounts found without settings); the notice then goes. */
  'app:noticeAction': { args: { id: string }; result: void }
  'backends:list': { args: void; result: BackendDescriptor[] }
  'accounts:list': { args: AccountListArgs; result: AccountPage }
  'accounts:detail': { args: { id: string }; result: AccountDetail }
  'accounts:rename': { args: { id: string; label: string }; result: AccountSummary }
  'accounts:switch': { args: { id: string }; result: AccountSummary }
  /** `cleanUp`: the person ticked the detail's `removeOption`. */
  'accounts:remove': { args: { id: string; cleanUp?: boolean }; result: void }
  /** `check`: only ask the server whether the session is still valid (accounts whose summary says `checkable`). */
  'accounts:refresh': { args: { id: string; check?: boolean }; result: AccountSummary }
  'accounts:copyToken': { args: { id: string; kind: 'access' | 'id' }; result: CopyTokenOutcome }
  /** What the account can do beyond sign-in (profile, security, admin); [] when nothing or signed out. */
  'accounts:actions': { args: { id: string }; result: AccountAction[] }
  /** Press a button (`action`) on one of those forms (`form` = the AccountAction id). */
  'accounts:runAction': { args: { id: string; form: string; action: string; values: FormValues }; result: ActionOutcome }
  'auth:begin': {
    args: { kind: ProviderKind; config: BackendConfigInput; label?: string }
    result: AuthStep
  }
  /** Sign in again for an existing account (same backend configuration). */
  'auth:reauth': { args: { id: string }; result: AuthStep }
  /** Wait for the browser step of an attempt to finish. */
  'auth:complete': { args: { attemptId: string }; result: AuthStep }
  /**
   * Answer a form step by pressing one of its buttons. An error leaves the attempt at the same form
   * (the person corrects and tries again) unless it is AUTH_CANCELLED or NOT_FOUND.
   */
  'auth:continue': { args: { attemptId: string; action: string; values: FormValues }; result: AuthStep }
  'auth:cancel': { args: { attemptId: string }; result: void }
  /** Open the browser step's sign-in page again (the browser did not open, or the tab was closed). */
  'auth:openAgain': { args: { attemptId: string }; result: AuthStep }
  'auth:signOut': { args: { id: string }; result: SignOutOutcome }
  'cli:access': { args: { id: string }; result: CliAccess }
  'cli:setAccess': { args: { id: string; allowed: boolean }; result: CliAccess }
  /** Command-line access off and the account signed out. */
  'cli:revokeAll': { args: { id: string }; result: SignOutOutcome }
  'cli:answer': { args: { id: string; answer: 'once' | 'always' | 'deny' }; result: void }
}
export type InvokeChannel = keyof InvokeMap

/** The runtime list of invoke channels; the preload builds one closure per entry. */
export const INVOKE_CHANNELS = [
  'app:state',
  'app:dismissNotice',
  'app:retryKeychain',
  'app:noticeAction',
  'backends:list',
  'accounts:list',
  'accounts:detail',
  'accounts:rename',
  'accounts:switch',
  'accounts:remove',
  'accounts:refresh',
  'accounts:copyToken',
  'accounts:actions',
  'accounts:runAction',
  'auth:begin',
  'auth:reauth',
  'auth:complete',
  'auth:continue',
  'auth:cancel',
  'auth:openAgain',
  'auth:signOut',
  'cli:access',
  'cli:setAccess',
  'cli:revokeAll',
  'cli:answer',
] as const satisfies readonly InvokeChannel[]

/** Events the main process pushes to the renderer. */
export interface EventMap {
  /**
   * The list changed beyond single accounts (an account added or removed, the order, all of them at
   * once): how many there are now, and the list's new version. What the window shows is fetched
   * again (`accounts:list`) unless a page of that version is already in.
   */
  'accounts:changed': { count: number; version: number }
  /** One account changed (status, expiry, name, storage): only that account. */
  'account:updated': AccountSummary
  'auth:progress': AuthProgress
  'app:changed': AppState
  /** The questions open for the window to ask (empty when none). */
  'cli:consent': CliConsent[]
}
export type EventChannel = keyof EventMap
export const EVENT_CHANNELS = ['accounts:changed', 'account:updated', 'auth:progress', 'app:changed', 'cli:consent'] as const satisfies readonly EventChannel[]

// Compile-time check that the runtime lists name every channel exactly.
type Missing<All, Listed> = Exclude<All, Listed>
type AssertNever<T extends never> = T
export type _AllInvokeListed = AssertNever<Missing<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>>
export type _AllEventsListed = AssertNever<Missing<EventChannel, (typeof EVENT_CHANNELS)[number]>>

// ---------------------------------------------------------------------------------------------
// The API the renderer sees as `window.latchkey`, derived from the maps above.

/** `accounts:rename` → `accountsRename`. */
type CamelPart<S extends string> = S extends `${infer H}${infer T}` ? `${Uppercase<H>}${T}` : S
export type MethodName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${CamelPart<V>}` : never

export type InvokeFn<C extends InvokeChannel> = InvokeMap[C]['args'] extends void
  ? () => Promise<Result<InvokeMap[C]['result']>>
  : (args: InvokeMap[C]['args']) => Promise<Result<InvokeMap[C]['result']>>

export type Unsubscribe = () => void

export type Api = { [C in InvokeChannel as MethodName<C>]: InvokeFn<C> } & {
  on<E extends EventChannel>(event: E, listener: (payload: EventMap[E]) => void): Unsubscribe
}

export function methodName<C extends string>(channel: C): MethodName<C> {
  const [domain, verb] = channel.split(':') as [string, string]
  return `${domain}${verb.charAt(0).toUpperCase()}${verb.slice(1)}` as MethodName<C>
}
