/**
 * `latchkey token` and `latchkey accounts` when no Latchkey answers on the data folder: the command
 * answers itself, read-only, where it can be sure of the answer the core would give. It reads the
 * settings and the account files, the vault key from the keychain, and opens only the sessions it
 * needs; it takes each step of the answer from the same functions as the core (hand-out-rules.ts,
 * the backends' own hand-outs and names), appends the same audit record and writes the same
 * `cli.token` line to the headless core's log, and refuses the same way
 * (command-line access off: nobody can be asked without a window).
 *
 * It never renews, never writes an account or the keychain, and never asks anything. Whatever the
 * core would change or ask the network for when it starts (a renewal due, a session to check with
 * its server, a mark to set or clear, a keychain that does not answer, files it would repair)
 * returns null, and the core answers, started headless through the data folder's lock so that one
 * process alone ever refreshes. It does not start the core in the background: a started core
 * leaves after a few idle minutes anyway, and the first call that needs a renewal starts it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { newestVersionText } from '../main/adapters/account-file-format.ts'
import { accountFileName } from '../main/adapters/account-file-name.ts'
import { auditFile } from '../main/adapters/audit-file.ts'
import { jsonLogger } from '../main/adapters/json-logger.ts'
import { keytarSecretStore, requireKeytar } from '../main/adapters/keytar-secret-store.ts'
import type { CliResponse, Op } from '../main/cli-server/protocol.ts'
import { failure, reportedCaller, tokenArgs } from '../main/cli-server/request.ts'
import { accountFileParts } from '../main/core/accounts/account-file.ts'
import { decodeSecrets, type AccountSecrets } from '../main/core/app/account-secrets.ts'
import { auditRecord, keptCaller, tokenLogFields, type AuditRecord, type Caller } from '../main/core/cli/audit.ts'
import { HandOutError } from '../main/core/cli/hand-out-error.ts'
import { accountLine, attentionRefusal, handOutAnswer, minTtlMs, notAllowed, resolveAccount, type AccountLine } from '../main/core/cli/hand-out-rules.ts'
import { KEYCHAIN_DEADLINE_MS } from '../main/core/secrets/deadline.ts'
import { VAULT_KEY_PREFIX } from '../main/core/secrets/vault-key-name.ts'
import { refreshDueAt } from '../main/core/sessions/refresh-plan.ts'
import type { Session } from '../main/core/sessions/session.ts'
import { currentSettings, isAccount } from '../main/core/settings/current-settings.ts'
import type { AccountRecord } from '../main/core/settings/schema.ts'
import { HEADLESS_LOG, logFile } from '../main/headless/log-file.ts'
import { COMMAND_LINE_BACKENDS } from '../main/providers/command-line.ts'
import type { CallerInfo } from './caller.ts'

/**
 * A keychain that has not answered by then is left to the core, which says what is wrong: as long
 * as the core itself waits. A keychain that is only slow (a busy machine, many callers at once)
 * still answers here, rather than a core started on a machine already short of time.
 */
const KEYCHAIN_WAIT_MS = KEYCHAIN_DEADLINE_MS
/** A renewal due this soon is the core's to do (it would start it right after starting). */
const RENEWAL_MARGIN_MS = 10_000

/** Not sure of the core's answer: the core gives it. */
class Unsure extends Error {}

/** The core's answer to `op`, or null when the core must give it. */
export async function directAnswer(dataDir: string, op: Op, args: Record<string, unknown>, caller: CallerInfo, keychainService: string): Promise<CliResponse | null> {
  try {
    const folder = readFolder(dataDir)
    const key = vaultKeyReader(folder.accountsDir, keychainService)
    // The caller as the core takes it from a request (a JSON round trip), read when the audit needs it.
    let reported: Caller | null = null
    const reportedNow = (): Caller => (reported ??= keptCaller(reportedCaller(JSON.parse(JSON.stringify(caller)) as CliRequestCaller)))
    if (op === 'token') return await token(dataDir, folder, tokenArgs(args), reportedNow, key)
    if (op === 'accounts') return { ok: true, value: await accounts(folder, key) }
    return null
  } catch (error) {
    if (error instanceof Unsure) return null
    throw error
  }
}

type CliRequestCaller = Parameters<typeof reportedCaller>[0]

interface Folder {
  accountsDir: string
  /** The accounts as the core lists them, in the settings' order. */
  ids: string[]
  activeId: string | null
  /** An account's newest record and sealed secrets, from its own file (read when first asked for). */
  file(id: string): AccountFile
}

interface AccountFile {
  account: AccountRecord
  sealed: string | null
}

/** TokenHandOut.token as the headless core runs it (no window: access off is refused). */
async function token(dataDir: string, folder: Folder, request: ReturnType<typeof tokenArgs>, caller: () => Caller, vaultKey: () => Promise<VaultKey>): Promise<CliResponse> {
  let record: AccountRecord
  try {
    // Only the files that can matter: the active account's, or the one whose id is asked for.
    const query = request.account?.trim().toLowerCase()
    const byId = query === undefined ? [] : folder.ids.filter((id) => id.toLowerCase() === query)
    const candidates = query === undefined ? folder.ids.filter((id) => id === folder.activeId) : byId.length === 1 ? byId : folder.ids
    record = resolveAccount(request.account, candidates.map((id) => folder.file(id).account), folder.activeId, backendName)
  } catch (error) {
    if (error instanceof HandOutError) return failure(error.reason, error.message, error.hint)
    throw error
  }
  const refuse = (error: HandOutError): CliResponse => {
    audit(dataDir, auditRecord({ at: Date.now(), accountId: record.id, caller: caller(), outcome: 'refused', kind: request.idToken ? 'id' : 'access', reason: error.reason }))
    return failure(error.reason, error.message, error.hint)
  }
  if (record.cliAccess !== true) return refuse(notAllowed(record))
  // What the record says first: a renewal due is the core's, and many callers at once must not all
  // ask the keychain for nothing.
  const soon = Date.now() + minTtlMs(request.minTtl)
  if (!record.signedOut && record.expiresAt !== null && !(Date.parse(record.expiresAt) > soon)) throw new Unsure()
  const key = vaultKey()
  // While the keychain answers: who called, from /proc.
  caller()
  const session = restored(record, folder, await key)
  const refusal = attentionRefusal(record, session !== null)
  if (refusal) return refuse(refusal)
  if (session === null) throw new Unsure()
  // SessionKeeper.freshSession: a renewing session that expires within the caller's minimum is renewed first.
  if (session.session.expiresAt !== null && session.session.expiresAt <= soon && renewal(record, session.session) === 'automatic') throw new Unsure()
  let given: ReturnType<typeof handOutAnswer>
  try {
    given = handOutAnswer(record, { session: session.session, secretConfig: session.config }, request, COMMAND_LINE_BACKENDS[record.provider], backendName(record))
  } catch (error) {
    if (error instanceof HandOutError) return refuse(error)
    throw error
  }
  audit(dataDir, auditRecord({ at: Date.now(), accountId: record.id, caller: caller(), outcome: 'handed-out', kind: given.kind, ...(given.role === undefined ? {} : { role: given.role }) }))
  return { ok: true, value: given.answer }
}

/** TokenHandOut.accounts once the headless core has opened every session. */
async function accounts(folder: Folder, vaultKey: () => Promise<VaultKey>): Promise<AccountLine[]> {
  const records = folder.ids.map((id) => folder.file(id).account)
  const key = folder.ids.some((id) => folder.file(id).sealed !== null) ? await vaultKey() : null
  return records.map((record) => {
    const secrets = key === null ? null : restored(record, folder, key)
    if (record.signedOut) return accountLine(record, 'signed-out', secrets?.session ?? null, backendName(record), folder.activeId)
    if (secrets === null) throw new Unsure()
    // Refused: the core leaves it as it is. Anything else it would start renewing or checking now.
    if (refused(record)) return accountLine(record, 'needs-attention', secrets.session, backendName(record), folder.activeId)
    const session = secrets.session
    const how = renewal(record, session)
    if (how === 'check' || (how === 'automatic' && COMMAND_LINE_BACKENDS[record.provider].checksSessions)) throw new Unsure()
    if (how === 'automatic' && session.expiresAt !== null && refreshDueAt(session.expiresAt, session.issuedAt, () => 1) <= Date.now() + RENEWAL_MARGIN_MS) throw new Unsure()
    return accountLine(record, 'signed-in', session, backendName(record), folder.activeId)
  })
}

/**
 * The account's secrets as SessionKeeper restores them at start, when restoring changes nothing:
 * null for an account signed out without a session. Unsure when the core would mark the account
 * (no session, one that does not open, one that expired for good, a mark it would clear, a
 * renewal that never finished).
 */
function restored(record: AccountRecord, folder: Folder, key: VaultKey): (AccountSecrets & { session: Session }) | null {
  const sealed = folder.file(record.id).sealed
  const text = sealed === null ? null : key.open(record.id, sealed)
  if (sealed !== null && text === null) throw new Unsure()
  const secrets = text === null ? null : decodeSecrets(text)
  if (text !== null && secrets === null && !record.signedOut) throw new Unsure()
  const session = secrets?.session ?? null
  if (record.signedOut) return session === null || secrets === null ? null : { ...secrets, session }
  if (session === null || secrets === null || record.refreshStartedAt) throw new Unsure()
  if (record.attention !== null && !refused(record)) throw new Unsure()
  if (!refused(record) && session.refreshToken === null && session.expiresAt !== null && session.expiresAt <= Date.now()) throw new Unsure()
  return { ...secrets, session }
}

/** SessionKeeper.renewal. */
function renewal(record: AccountRecord, session: Session): 'automatic' | 'check' | 'none' {
  const renewsItself = COMMAND_LINE_BACKENDS[record.provider].refreshesWithoutRefreshToken
  if (session.isStatic) return renewsItself ? 'check' : 'none'
  return session.refreshToken !== null || renewsItself ? 'automatic' : 'none'
}

/** The server refused or ended this session: the core keeps the mark until a new sign-in. */
function refused(record: AccountRecord): boolean {
  return record.attention?.reason === 'refresh-rejected' || record.attention?.reason === 'revoked'
}

function backendName(record: AccountRecord): string {
  try {
    return COMMAND_LINE_BACKENDS[record.provider].backendName(record.config)
  } catch {
    throw new Unsure() // the core's answer is its error
  }
}

/**
 * The audit record, then the core's `cli.token` log line (TokenHandOut records both). An audit line
 * the file would not take is the core's to report (it logs why); a log line that cannot be written
 * loses no record, so the answer stands.
 */
function audit(dataDir: string, record: AuditRecord): void {
  try {
    auditFile(dataDir).append(record)
  } catch {
    throw new Unsure()
  }
  try {
    jsonLogger({ file: logFile(dataDir, HEADLESS_LOG) }).info('cli.token', tokenLogFields(record))
  } catch {
    // The record is kept; the log is only the log.
  }
}

type VaultKey = NonNullable<ReturnType<typeof import('./direct-open.ts').openingKey>>

/** Reads the vault key once, when first needed; unsure when the core would create or change it. */
function vaultKeyReader(accountsDir: string, service: string): () => Promise<VaultKey> {
  let read: Promise<VaultKey> | null = null
  return () => (read ??= readVaultKey(accountsDir, service))
}

async function readVaultKey(accountsDir: string, service: string): Promise<VaultKey> {
  let reading: Promise<string | null>
  try {
    // Started before anything else: the keychain answers on keytar's own thread while this one
    // loads what opening a session takes (node:crypto and the rest of direct-open.ts).
    reading = keytarSecretStore(requireKeytar(), service).get(VAULT_KEY_PREFIX + accountsDir)
  } catch {
    throw new Unsure() // the core says what is wrong with the keychain
  }
  const opening = import('./direct-open.ts')
  let text: string | null
  try {
    text = await Promise.race([reading, new Promise<never>((_, fail) => setTimeout(() => fail(new Error('slow')), KEYCHAIN_WAIT_MS).unref())])
  } catch {
    throw new Unsure() // the core says what is wrong with the keychain (and waits as long as it should)
  }
  const key = (await opening).openingKey(text)
  if (key === null) throw new Unsure()
  return key
}

/**
 * The settings' list and active account, and each listed account's own file. Unsure when the core
 * would migrate, check or set aside the settings (not a current file this version wrote), or fall
 * back on the settings' copy of a record (a file missing or damaged).
 */
function readFolder(dataDir: string): Folder {
  const accountsDir = join(dataDir, 'accounts')
  const settings = currentSettings(readJson(join(dataDir, 'settings.json')))
  if (settings === null) throw new Unsure()
  const files = new Map<string, AccountFile>()
  const file = (id: string): AccountFile => {
    let read = files.get(id)
    if (read === undefined) files.set(id, (read = readAccountFile(accountsDir, id)))
    return read
  }
  return { accountsDir, ids: [...new Set(settings.accounts.map((account) => account.id))], activeId: settings.activeAccountId, file }
}

/** The account's file as AccountStore reads it: its newest record and sealed secrets. */
function readAccountFile(accountsDir: string, id: string): AccountFile {
  let text: string
  try {
    text = newestVersionText(readFileSync(join(accountsDir, accountFileName(id))))
  } catch {
    throw new Unsure()
  }
  const parts = accountFileParts(text)
  if (typeof parts === 'string' || !isAccount(parts.account) || parts.account.id !== id || !(parts.sealed === null || typeof parts.sealed === 'string')) throw new Unsure()
  return { account: parts.account, sealed: parts.sealed }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch {
    return null
  }
}
