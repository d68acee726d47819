/**
 * What every backend implements. The UI renders from `descriptor`, so a new backend needs no new
 * screen unless it brings a new kind of sign-in step.
 */
import type { AccountAction, CredentialStatus, BackendConfigInput, BackendDescriptor, FormSpec, FormValues, ProviderKind } from '../../shared/contract.ts'
import type { Clock, Logger } from './ports.ts'
import type { Profile } from './profile.ts'
import type { Identity, Session, SessionFacts, SignedIn } from './sessions/session.ts'

/**
 * A backend configuration as the person entered it, validated. Fields whose descriptor kind is
 * 'secret' (a client secret) are kept in the keychain; the rest in settings.
 */
export type BackendConfig = Readonly<Record<string, string>>

export interface ProviderContext {
  clock: Clock
  logger: Logger
}

/** A sign-in that continues in the system browser. */
export interface BrowserSignIn<R extends SignedIn | FormSignIn = SignedIn | FormSignIn> {
  kind: 'browser'
  /** The authorization URL to open. Contains no secret (PKCE challenge, state and nonce only). */
  url: string
  /** When the attempt gives up waiting (ms since the epoch). */
  expiresAt: number
  /**
   * Settles once: with the signed-in session (or, for a backend that asks for a second factor after
   * the browser, the form that asks for it), or with an AppError whose code is AUTH_DENIED,
   * AUTH_STATE_MISMATCH, AUTH_TIMEOUT, AUTH_CANCELLED, AUTH_FAILED or NETWORK.
   */
  result: Promise<R>
  /** Stop waiting (closes the loopback receiver); `result` rejects with AUTH_CANCELLED. */
  cancel(): void
}

/** A sign-in step the person answers in the app: a password, an emailed code, a second factor. */
export interface FormSignIn {
  kind: 'form'
  form: FormSpec
  /**
   * Handles a button press. Throws an AppError for a problem the person can correct here (a wrong
   * password, a wrong code, a limit reached): the form stays and can be answered again.
   */
  submit(action: string, values: FormValues): Promise<SignInStart>
  /** The attempt was cancelled or abandoned: release what the step holds (a loopback receiver). */
  cancel(): void
}

export type SignInStart = BrowserSignIn | FormSignIn | { kind: 'done'; signedIn: SignedIn }

/**
 * Why a sign-in starts: the first account on this backend configuration, another account next to
 * one already there (the identity provider should let the person choose), or signing in again to
 * an existing account.
 */
export type SignInPurpose = 'first' | 'another-account' | 'again'

export interface SignInOptions {
  purpose: SignInPurpose
}

export interface SignOutResult {
  revokedOnServer: boolean
  /** The server has no way to revoke a session (PocketBase): the message already says so, and until when it stays valid. */
  cannotRevoke?: true
  /** Where to end the identity provider's browser session (RP-initiated logout), if it has one. */
  endSessionUrl: string | null
  message: string
}

export interface RefreshResult {
  session: Session
  /** Updated profile claims, when the refresh brought any (often it does not). */
  profile?: Profile
  /** The credentials held next to the session as the server sees them now. */
  credentials?: CredentialStatus[]
}

/** A signed-in account as a provider sees it for account actions. */
export interface ProviderAccount {
  config: BackendConfig
  session: Session
  identity: Identity
  label: string
}

export interface ActionResult {
  message: string
  /** The account's new session: the server rotated the token and the provider signed in again. */
  session?: Session
  identity?: Identity
  /** The profile to show from now on. */
  profile?: Profile
  /** The credentials held next to the session from now on (a token created, replaced or deleted). */
  credentials?: CredentialStatus[]
  /**
   * The account's secret configuration from now on (a credential the action created, replaced or
   * deleted, such as an API token): kept in the keychain with the session, never in settings.
   */
  secretConfig?: Record<string, string>
  /** The action ended this account's session on the server and it could not sign in again: why. */
  sessionEnded?: string
  /** Settings to remember for this account from now on (not secret), merged into its configuration. */
  config?: BackendConfig
  /** A new account to add (impersonation): its session, label and backend configuration. */
  created?: { signedIn: SignedIn; label: string; config: BackendConfig }
  /** A page the action continues on in the person's browser (linking another sign-in method); no secret in it. */
  openInBrowser?: string
}

/** What `latchkey token` asks of a backend: the ID token instead, a role among those the token allows. */
export interface HandOutOptions {
  idToken: boolean
  role: string | null
}

/** The token other tools should get from this account, and until when it works (ms since the epoch, or null). */
export interface HandOut {
  token: string
  expiresAt: number | null
  /** 'access', 'id', 'personal access token': what it is, for the audit trail. */
  kind: string
  /** The role it should be used with (Hasura's x-hasura-role), where the backend has roles. */
  role?: string
}

export interface Provider {
  readonly kind: ProviderKind
  /** How the Add-account screen presents this backend (presets are added by the shell). */
  readonly descriptor: Omit<BackendDescriptor, 'presets'>
  /** True when `signOut` ends the session on the server without a refresh token (a server-side cookie session). */
  readonly signOutEndsSession?: boolean
  /** True for backends whose access token renews itself without a refresh token. */
  readonly refreshesWithoutRefreshToken?: boolean
  /**
   * True when a renewal leaves the token it renewed valid until that token's own expiry (PocketBase:
   * stateless tokens). A renewal cut short before its answer is stored then has spent nothing, so
   * the core writes no in-flight mark before it.
   */
  readonly renewalKeepsOldToken?: boolean
  /** Validate what the person typed; throws AppError('VALIDATION', …, { field }) on bad input. */
  parseConfig(input: BackendConfigInput): BackendConfig
  /** A short human name for the backend instance, e.g. the issuer's host. */
  backendName(config: BackendConfig): string
  /** False for accounts that cannot sign in again (an impersonated session); absent = they can. */
  canSignInAgain?(config: BackendConfig): boolean
  beginSignIn(config: BackendConfig, ctx: ProviderContext, options?: SignInOptions): Promise<SignInStart>
  /**
   * Get a fresh access token. Throws RefreshRejectedError when the server refuses (any 4xx from the
   * token endpoint), TransientError on network errors and 5xx.
   */
  refresh(config: BackendConfig, session: Session, ctx: ProviderContext): Promise<RefreshResult>
  /**
   * Asks the server whether a renewing session is still valid, without renewing it (Authing's
   * login-status check): at start-up and on demand ("Check session"). Throws RefreshRejectedError
   * when the server says it is not, TransientError when it cannot be reached.
   */
  checkSession?(config: BackendConfig, session: Session, ctx: ProviderContext): Promise<void>
  /** Whether `checkSession` applies to this session (absent: to every session). */
  canCheckSession?(session: SessionFacts): boolean
  /** Revoke what can be revoked; never throws for a server that refuses to revoke (reports it instead). */
  signOut(config: BackendConfig, session: Session, ctx: ProviderContext): Promise<SignOutResult>
  /** Profile, security and admin forms for a signed-in account (none when absent). */
  actions?(account: ProviderAccount, ctx: ProviderContext): Promise<AccountAction[]>
  /**
   * Runs a button of one of those forms. Throws an AppError the person can act on (VALIDATION with
   * `field` for a field's problem); a session the server ended is reported in the result instead.
   */
  runAction?(account: ProviderAccount, form: string, action: string, values: FormValues, ctx: ProviderContext): Promise<ActionResult>
  /**
   * What `cleanUp` would delete on the server, as the label of a box on the remove confirmation;
   * null when there is nothing (the box is not shown).
   */
  removeOption?(config: BackendConfig): string | null
  /** Before the account is removed, when the person ticked that box: delete it; says what happened. */
  cleanUp?(account: ProviderAccount, ctx: ProviderContext): Promise<string>
  /**
   * The token other tools get from `latchkey token`, from a session that is fresh already (absent:
   * the session's access token, or its ID token when asked). Never a refresh token, password or
   * cookie. Throws AppError('UNSUPPORTED', why) when the account has no such token or role.
   */
  handOut?(account: ProviderAccount, options: HandOutOptions): HandOut
}
