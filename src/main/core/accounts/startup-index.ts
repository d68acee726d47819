/**
 * The start-up index: one file in the accounts folder holding what the account list needs from
 * every account file (its record, whether it holds a session) and from the settings file (the
 * order and the active account), each with the stamp (size, time, inode) its file had when the
 * index was written. A start reads it instead of 10,000 files and a 4 MB settings file.
 *
 * The files stay the truth: an entry is used only while its file's stamp is unchanged (a file
 * changed or added since is read as before), the settings part only while the settings file's is,
 * and the index is deleted before anything it describes is written, so after a crash (kill -9)
 * there is none and the next start reads the files. It is written when nothing is being written:
 * at quit, and once after a start that had to read the files. Never a secret: no sealed session.
 */
import { PROVIDER_KINDS } from '../../../shared/contract.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { isObject, parseObject } from '../json-object.ts'

export interface IndexedFile {
  stamp: string
  account: AccountRecord | null
  /** Whether the file holds sealed secrets (read from the file when they are asked for). */
  sealed: boolean
}

export interface IndexedSettings {
  stamp: string
  order: string[]
  activeAccountId: string | null
  /** Records of listed accounts that had no file of their own when the index was written. */
  records: Record<string, AccountRecord>
}

export interface StartupIndex {
  files: Map<string, IndexedFile>
  settings: IndexedSettings | null
}

const VERSION = 1

export function formatIndex(index: StartupIndex): string {
  const files: Record<string, [string, AccountRecord | null, boolean]> = {}
  for (const [id, file] of index.files) files[id] = [file.stamp, file.account, file.sealed]
  return JSON.stringify({ v: VERSION, files, settings: index.settings })
}

/**
 * The index, or null when there is none or it is not one this version wrote (then the files are
 * read and a new one is written). Entries are checked for the fields the list reads without a
 * schema parse of every record: the index is Latchkey's own file, and a file it disagrees with wins.
 */
export function parseIndex(text: string | null): StartupIndex | null {
  if (text === null) return null
  const json = parseObject(text)
  if (json === null || json['v'] !== VERSION || !isObject(json['files'])) return null
  const files = new Map<string, IndexedFile>()
  for (const [id, entry] of Object.entries(json['files'])) {
    if (!Array.isArray(entry) || entry.length !== 3) return null
    const [stamp, account, sealed] = entry as unknown[]
    if (typeof stamp !== 'string' || typeof sealed !== 'boolean' || (account !== null && !isRecord(account, id))) return null
    files.set(id, { stamp, account: account as AccountRecord | null, sealed })
  }
  return { files, settings: parseSettings(json['settings']) }
}

function parseSettings(value: unknown): IndexedSettings | null {
  if (!isObject(value)) return null
  const { stamp, order, activeAccountId, records } = value
  if (typeof stamp !== 'string' || !Array.isArray(order) || !order.every((id) => typeof id === 'string')) return null
  if (activeAccountId !== null && typeof activeAccountId !== 'string') return null
  if (!isObject(records) || !Object.entries(records).every(([id, record]) => isRecord(record, id))) return null
  return { stamp, order, activeAccountId, records: records as Record<string, AccountRecord> }
}

const KINDS = new Set<string>(PROVIDER_KINDS)

function isRecord(value: unknown, id: string): boolean {
  if (!isObject(value)) return false
  const { identity } = value
  return (
    value['id'] === id &&
    typeof value['label'] === 'string' &&
    typeof value['provider'] === 'string' &&
    KINDS.has(value['provider']) &&
    isObject(value['config']) &&
    isObject(value['profile']) &&
    isObject(identity) &&
    typeof identity['subject'] === 'string' &&
    typeof value['createdAt'] === 'string' &&
    typeof value['signedOut'] === 'boolean' &&
    (value['attention'] === null || isObject(value['attention']))
  )
}
