/**
 * `latchkey token` when no Latchkey answers on the data folder and the token is still valid: the
 * command answers it itself, read-only. It reads the account's file, checks that command-line
 * access is on, reads the vault key from the keychain, opens only that account's sealed secrets,
 * and appends the same audit record the core would. It never renews, never writes an account or
 * the keychain, and never asks anything: every other case (a renewal due, an account needing
 * attention, access off, a backend with a hand-out of its own, --json, --id-token, --role, an
 * account named ambiguously) returns null, and the core answers, started headless through the data
 * folder's lock so that one process alone ever refreshes.
 *
 * It does not start the core in the background: a token valid past the caller's minimum lifetime
 * needs no renewal, a started core leaves after a few idle minutes anyway, and the first call that
 * does need a renewal starts it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { accountFileName } from '../main/adapters/account-file-name.ts'
import { auditFile } from '../main/adapters/audit-file.ts'
import { keytarSecretStore, loadKeytar } from '../main/adapters/keytar-secret-store.ts'
import { auditRecord, keptCaller } from '../main/core/cli/audit.ts'
import { findAccount } from '../main/core/cli/find-account.ts'
import { minTtlMs, SESSION_TOKEN_BACKENDS } from '../main/core/cli/hand-out-rules.ts'
import { open, parseVaultKey } from '../main/core/secrets/sealed.ts'
import { parseKeyItem, VAULT_KEY_PREFIX } from '../main/core/secrets/vault.ts'
import type { AccountRecord } from '../main/core/settings/schema.ts'
import type { CallerInfo } from './caller.ts'

/** A keychain that has not answered by then is left to the core, which says what is wrong. */
const KEYCHAIN_WAIT_MS = 2000

export interface DirectRequest {
  account?: string
  minTtl?: number
  idToken?: boolean
  role?: string
}

/** The token, or null when the core must answer. */
export async function directToken(dataDir: string, request: DirectRequest, caller: CallerInfo, keychainService: string): Promise<string | null> {
  if (request.idToken === true || request.role !== undefined) return null
  const accountsDir = join(dataDir, 'accounts')
  const record = resolve(dataDir, accountsDir, request.account)
  if (record === null || record.cliAccess !== true || record.signedOut || record.attention !== null || record.refreshStartedAt != null) return null
  if (!SESSION_TOKEN_BACKENDS.includes(record.provider)) return null
  // The record's expiry first: a renewal due is the core's, and many callers at once must not all
  // ask the keychain for nothing (the sealed session's own expiry is checked again below).
  const soon = Date.now() + minTtlMs(request.minTtl)
  if (typeof record.expiresAt !== 'string' || !(Date.parse(record.expiresAt) > soon)) return null
  const sealed = readAccount(accountsDir, record.id)?.sealed
  if (typeof sealed !== 'string') return null

  let keyText: string | null
  try {
    const read = keytarSecretStore(await loadKeytar(), keychainService).get(VAULT_KEY_PREFIX + accountsDir)
    keyText = await Promise.race([read, new Promise<never>((_, fail) => setTimeout(() => fail(new Error('slow')), KEYCHAIN_WAIT_MS).unref())])
  } catch {
    return null // the core says what is wrong with the keychain (and waits as long as it should)
  }
  const item = parseKeyItem(keyText)
  const key = item === null ? null : parseVaultKey(item.key)
  const opened = key === null ? null : open(key, record.id, sealed)
  const session = opened === null ? null : sessionOf(opened)
  if (session === null || session.expiresAt === null || session.expiresAt <= soon) return null

  auditFile(dataDir).append(auditRecord({ at: Date.now(), accountId: record.id, caller: keptCaller(caller), outcome: 'handed-out', kind: 'access' }))
  return session.accessToken
}

/** The account the command line names (or the active one), as its own file has it; null when unsure. */
function resolve(dataDir: string, accountsDir: string, query: string | undefined): AccountRecord | null {
  const settings = readJson(join(dataDir, 'settings.json')) as { accounts?: unknown; activeAccountId?: unknown } | null
  if (settings === null || !Array.isArray(settings.accounts)) return null
  // The settings list the accounts; each one's file holds its newest record.
  const ids = (settings.accounts as unknown[]).flatMap((a) => (typeof a === 'object' && a !== null && typeof (a as { id?: unknown }).id === 'string' ? [(a as { id: string }).id] : []))
  const wanted = query === undefined || query === '' ? settings.activeAccountId : ids.find((id) => id.toLowerCase() === query.trim().toLowerCase())
  if (typeof wanted === 'string' && ids.includes(wanted)) return readAccount(accountsDir, wanted)?.account ?? null
  if (query === undefined) return null
  const named = ids.flatMap((id) => {
    const record = readAccount(accountsDir, id)?.account
    // `backend:email` needs the backend's name: the core matches that one.
    return record ? [{ record, backend: '' }] : []
  })
  const found = findAccount(query, named)
  return found.kind === 'one' ? found.record : null
}

function readAccount(accountsDir: string, id: string): { account: AccountRecord; sealed: unknown } | null {
  const file = readJson(join(accountsDir, accountFileName(id))) as { v?: unknown; account?: unknown; sealed?: unknown } | null
  const account = file?.v === 1 ? (file.account as Partial<AccountRecord> | null) : null
  if (typeof account !== 'object' || account === null || account.id !== id) return null
  const { label, provider, identity, signedOut } = account
  if (typeof label !== 'string' || typeof provider !== 'string' || typeof identity !== 'object' || typeof signedOut !== 'boolean') return null
  return { account: account as AccountRecord, sealed: file?.sealed }
}

function sessionOf(secrets: string): { accessToken: string; expiresAt: number | null } | null {
  try {
    const parsed = JSON.parse(secrets) as { v?: unknown; session?: { accessToken?: unknown; tokenType?: unknown; expiresAt?: unknown } | null }
    const session = parsed.v === 1 ? parsed.session : null
    if (!session || typeof session.accessToken !== 'string' || typeof session.tokenType !== 'string' || session.tokenType.toLowerCase() === 'cookie') return null
    return { accessToken: session.accessToken, expiresAt: typeof session.expiresAt === 'number' ? session.expiresAt : null }
  } catch {
    return null
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch {
    return null
  }
}
