/**
 * The non-secret settings Latchkey keeps on disk: the accounts (without their sessions) and which
 * one is active. Plain data: the schema is in the format conf and electron-store take for their
 * `schema` option (the `properties` of a JSON schema), the migrations in their `migrations` format.
 */
import type { Attention, CredentialStatus, ProviderKind } from '../../../shared/contract.ts'
import { PROVIDER_KINDS, VALUE_KINDS } from '../../../shared/contract.ts'
import type { Profile } from '../profile.ts'
import type { Identity, SessionFacts } from '../sessions/session.ts'

export interface AccountRecord {
  id: string
  label: string
  provider: ProviderKind
  /** The backend configuration minus secret fields. */
  config: Record<string, string>
  identity: Identity
  /** Profile claims to show (from the ID token and userinfo); not secret. */
  profile: Profile
  /** ISO times. */
  createdAt: string
  lastRefreshAt: string | null
  expiresAt: string | null
  attention: Attention | null
  signedOut: boolean
  /** Set (ISO time) before a refresh request goes out, cleared when its result is stored: a value at
   * startup means the last refresh never finished, and its refresh token may have been used up. */
  refreshStartedAt?: string | null
  /** Credentials held next to the session, each with its own status (a Teable personal access token). */
  credentials?: CredentialStatus[]
  /** The person allowed command-line tools (`latchkey token`) to use this account; off when absent. */
  cliAccess?: boolean
  /**
   * The stored session's times and how it renews (never a token), null when the account holds no
   * session. Absent in files of earlier versions: learnt from the session when the vault opens.
   */
  sessionFacts?: SessionFacts | null
}

export interface SettingsData {
  accounts: AccountRecord[]
  activeAccountId: string | null
}

/** The settings format version; conf records it in the file and runs the migrations up to it. */
export const SETTINGS_PROJECT_VERSION = '1.0.0'

export const SETTINGS_DEFAULTS: SettingsData = { accounts: [], activeAccountId: null }

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] })
const isoTime = { type: 'string', format: 'date-time' }

const ATTENTION_REASONS = ['refresh-rejected', 'revoked', 'network-down', 'keychain-unavailable', 'expired', 'rate-limited']

const accountSchema = {
  type: 'object',
  required: ['id', 'label', 'provider', 'config', 'identity', 'profile', 'createdAt', 'lastRefreshAt', 'expiresAt', 'attention', 'signedOut'],
  properties: {
    id: { type: 'string', minLength: 1 },
    label: { type: 'string' },
    provider: { enum: [...PROVIDER_KINDS] },
    config: { type: 'object', additionalProperties: { type: 'string' } },
    identity: {
      type: 'object',
      required: ['subject', 'name', 'email'],
      properties: {
        subject: { type: 'string' },
        name: nullable({ type: 'string' }),
        email: nullable({ type: 'string' }),
      },
    },
    profile: {
      type: 'object',
      additionalProperties: {
        anyOf: [
          { type: 'string' },
          { type: 'object', required: ['kind', 'value'], additionalProperties: false, properties: { kind: { enum: [...VALUE_KINDS] }, value: { type: 'string' } } },
        ],
      },
    },
    createdAt: isoTime,
    lastRefreshAt: nullable(isoTime),
    expiresAt: nullable(isoTime),
    attention: nullable({
      type: 'object',
      required: ['reason', 'message', 'since'],
      properties: {
        reason: { enum: ATTENTION_REASONS },
        message: { type: 'string' },
        since: isoTime,
        retryAt: isoTime,
      },
    }),
    signedOut: { type: 'boolean' },
    refreshStartedAt: nullable(isoTime),
    credentials: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'label', 'status'],
        properties: { kind: { type: 'string' }, label: { type: 'string' }, status: { enum: ['ok', 'needs-attention', 'unknown'] }, expiresAt: isoTime, message: { type: 'string' } },
      },
    },
    cliAccess: { type: 'boolean' },
    sessionFacts: nullable({
      type: 'object',
      required: ['expiresAt', 'issuedAt', 'refreshable'],
      properties: { expiresAt: nullable({ type: 'number' }), issuedAt: { type: 'number' }, refreshable: { type: 'boolean' }, isStatic: { const: true } },
    }),
  },
}

export const SETTINGS_SCHEMA = {
  accounts: { type: 'array', items: accountSchema, default: [] },
  activeAccountId: { ...nullable({ type: 'string' }), default: null },
}

/** What a migration step sees of the store (conf and electron-store hand it their instance). */
export interface MigrationStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Up to 0.9.x an account had no `attention`, no `signedOut` and no `profile`: a signed-out account
 * was removed, problems were not remembered across restarts, and the profile was read from the ID
 * token each time. Fill them in; anything else is left for the
 * schema to judge (a file it rejects is moved aside, never wiped).
 */
function addAccountStatusFields(store: MigrationStore): void {
  const accounts = store.get('accounts')
  if (!Array.isArray(accounts)) return
  store.set(
    'accounts',
    accounts.map((account: unknown) =>
      isObject(account)
        ? {
            ...account,
            profile: account['profile'] ?? {},
            attention: account['attention'] ?? null,
            signedOut: account['signedOut'] ?? false,
          }
        : account,
    ),
  )
}

export const SETTINGS_MIGRATIONS: Record<string, (store: MigrationStore) => void> = {
  '1.0.0': addAccountStatusFields,
}
