/**
 * The start-up index: one file in the accounts folder holding what the account list needs from
 * every account file (its record, whether it holds a session) and from the settings file (the
 * order and the active account), each with the stamp (size, time, inode) its file had when the
 * index was written. A start reads it instead of 10,000 files and a 4 MB settings file.
 *
 * The files stay the truth: an entry is used only while its file's stamp is unchanged (a file
 * changed or added since is read as before), the settings part only while the settings file's is,
 * and the index is deleted before anything it describes is written, so after a crash (kill -9)
 * there is none and the next start reads the files. Its settings part is kept in a second file as
 * well, deleted only before the settings file is written (see formatSettingsIndex). Both are
 * written when nothing is being written: at quit, and once after a start that had to read the
 * files. Never a secret: no sealed session.
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

/** The index as a start reads it: each file's entry is parsed when it is looked up. */
export interface ReadIndex {
  settings: IndexedSettings | null
  /** How many files it describes. */
  size: number
  /** The entry of the account's file, or null when there is none or it is not one. */
  file(id: string): IndexedFile | null
}

/**
 * Version 2: a first line with the settings part and the number of files, then one line per file
 * (its account's id as JSON, a tab, then the stamp, record and sealed flag as JSON). A start takes
 * the lines one at a time, with the event loop free between slices, instead of parsing 5 MB in one
 * piece at 10,000 accounts (30 ms with nothing answered meanwhile, the page included).
 */
const VERSION = 2

export function formatIndex(index: StartupIndex): string {
  const lines = [JSON.stringify({ v: VERSION, files: index.files.size, settings: index.settings })]
  for (const [id, file] of index.files) lines.push(`${JSON.stringify(id)}\t${JSON.stringify([file.stamp, file.account, file.sealed])}`)
  return lines.join('\n')
}

/**
 * The index, or null when there is none or it is not one this version wrote whole (then the files
 * are read and a new one is written). An entry is checked for the fields the list reads when it is
 * looked up, without a schema parse of its record: the index is Latchkey's own file, and an entry
 * that is not one is read from its file instead, as a file it disagrees with is.
 */
export function parseIndex(text: string | null): ReadIndex | null {
  if (text === null) return null
  const first = text.indexOf('\n')
  const head = parseObject(first < 0 ? text : text.slice(0, first))
  if (head === null || head['v'] !== VERSION || typeof head['files'] !== 'number') return null
  const lines = new Map<string, string>()
  for (let at = first + 1; first >= 0 && at <= text.length; ) {
    const end = text.indexOf('\n', at)
    const line = text.slice(at, end < 0 ? text.length : end)
    const tab = line.indexOf('\t')
    const id = tab < 0 ? null : idIn(line.slice(0, tab))
    if (id === null) return null
    lines.set(id, line.slice(tab + 1))
    if (end < 0) break
    at = end + 1
  }
  // Cut short (or lines added): not an index this version wrote whole.
  if (lines.size !== head['files']) return null
  return {
    settings: parseSettings(head['settings']),
    size: lines.size,
    file(id) {
      const line = lines.get(id)
      return line === undefined ? null : entryIn(line, id)
    },
  }
}

/** The id a line starts with (JSON text: a plain one is taken as it is). */
function idIn(json: string): string | null {
  if (json.length < 2 || !json.startsWith('"') || !json.endsWith('"')) return null
  if (!json.includes('\\')) return json.slice(1, -1)
  try {
    const id: unknown = JSON.parse(json)
    return typeof id === 'string' ? id : null
  } catch {
    return null
  }
}

function entryIn(json: string, id: string): IndexedFile | null {
  let entry: unknown
  try {
    entry = JSON.parse(json)
  } catch {
    return null
  }
  if (!Array.isArray(entry) || entry.length !== 3) return null
  const [stamp, account, sealed] = entry as unknown[]
  if (typeof stamp !== 'string' || typeof sealed !== 'boolean' || (account !== null && !isRecord(account, id))) return null
  return { stamp, account: account as AccountRecord | null, sealed }
}

/**
 * The settings part again, in a file of its own beside the index (see AccountStore.saveIndex). It
 * describes only the settings file, so it is kept while account files are written (the index is
 * deleted then) and deleted only before the settings file is written: a start after a crash, with
 * no index, takes the order and the active account from it while the settings file's stamp is the
 * one it saw, instead of reading and checking the whole settings file (4 MB at 10,000 accounts).
 */
const SETTINGS_VERSION = 1

export function formatSettingsIndex(settings: IndexedSettings): string {
  return JSON.stringify({ v: SETTINGS_VERSION, settings })
}

/** The settings part, or null when there is none or it is not one this version wrote. */
export function parseSettingsIndex(text: string | null): IndexedSettings | null {
  const value = text === null ? null : parseObject(text)
  return value?.['v'] === SETTINGS_VERSION ? parseSettings(value['settings']) : null
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
