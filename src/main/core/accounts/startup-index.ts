/**
 * The start-up index: one file in the accounts folder holding what the account list needs from
 * every account file (its record, whether it holds a session) and from the settings file (the
 * order and the active account), each with the stamp (size, time, inode) its file had when the
 * index was written. A start reads it instead of 10,000 files and a 4 MB settings file. Never a
 * secret: no sealed session.
 *
 * The files stay the truth. The index is written when nothing is being written (at quit), and
 * during a session while files are being written: once the sessions are loaded after a start that
 * had to read many files (or found no index), and once its journal names a quarter of the files (no sooner than five minutes after the last index, see
 * startup-journal.ts); it is kept while Latchkey writes: beside it, the journal names every file
 * written since (and whether the settings file was), so a start after a crash (kill -9) reads only
 * those and the files whose stamps changed, not every file after a session long enough to renew
 * every account. An entry is used only when all of these hold, which is what makes an unchanged
 * stamp trustworthy (a start in slices, as the browser shell's, shows the entries of the files the
 * journal does not name before it compares their stamps, and compares them before any session is
 * restored; see AccountStore.checkIndexed):
 *
 * - its file's stamp is the entry's;
 * - the file was old enough when the stamp was taken (more than a kernel tick, or 3 s where times
 *   come in whole seconds: AccountFiles.list gives a younger one no stamp, so it is never indexed,
 *   see file-stamp.ts): a later change then lands in a later time even where times are kept to the
 *   second or two (FAT, HFS+, ext3), so a change made behind Latchkey's back is seen though it kept
 *   the size and the inode (an atomic replace whose new file took a freed inode number, or a write
 *   in place). The settings file's stamp is taken the same way;
 * - the journal does not name it. Every write Latchkey makes after the index (an account's file,
 *   the settings file) appends the name first, once per file per index, so Latchkey's own writes
 *   never rest on a stamp at all (a clock set back, a reused inode, a coarse time);
 * - the journal was begun in this boot of the machine. Its lines are not flushed (a flush per
 *   refresh is a cost the refresh path cannot take), and a kill -9 loses none of them: they are in
 *   the kernel once written. A power cut or a crash of the system can lose lines, and also the new
 *   time of a file written in place (fdatasync leaves the time), so a journal from another boot
 *   vouches for nothing and every file is read. Its first line, with the boot's id, is flushed with
 *   the folder before the first write it covers, so a journal that should exist does.
 *
 * What is left: a change made behind Latchkey's back that keeps the size and the inode and lands
 * on the very time of a stamp (only after the clock was set back) is not seen, as in git's index;
 * a power cut soon after a clean quit that loses a write left unflushed (a renewal that kept the
 * old token valid) but keeps its file's new time leaves an index newer than the file, as before.
 * The journal is deleted after a new index is written at quit (a crash between leaves an older
 * journal beside the new index: some files are read that need not be). An index is cut or damaged:
 * the entries it cannot vouch for are read.
 *
 * An index written during a session (AccountStore.refreshIndex) is written while files are, in
 * this order. Its own journal (accounts/journal-next, never read by a start) is begun first, and
 * from then on every write is named in both journals. Each file's entry is then taken with the
 * stamp its file has at that moment, only when no write of that file is queued or running (memory
 * is then what the file holds; a file with one is left out, and read at the next start), and a file
 * too young for a stamp is left out as above; the settings part is taken once, after the new
 * journal was begun, and only when no change of the active account waits to be written. The new
 * index replaces the old one (written and flushed off the main thread, then renamed), and then its
 * journal replaces the journal (renamed). A kill at any point leaves an index beside a journal that
 * names every file written since that index took its entry: before the index is renamed, the old
 * index and its journal, whole; between the two renames, the old journal beside the new index,
 * naming every file written since the old index, which includes every file written since the new
 * one took its entries (some files are read that need not be); after, the new journal. A power cut
 * leaves one index and one journal in place, each whole or from the boot before, and the journal
 * then vouches for nothing. With no index on disk (the first, after a start that found none), the
 * new index's journal is the journal itself, begun anew and flushed with its folder before any
 * entry is taken; the index is then put beside it. A kill or a power cut before that leaves a
 * journal with no index, which a start ignores (it reads every file); after, the index beside a
 * journal that names every file written since it took its entries, or one from the boot before.
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
  return [indexHead(index.settings, index.files.size), ...Array.from(index.files, ([id, file]) => indexLine(id, file))].join('\n')
}

/** The first line (an index written in slices during a session puts it before the files' lines, each after a line break). */
export function indexHead(settings: IndexedSettings | null, files: number): string {
  return JSON.stringify({ v: VERSION, files, settings })
}

/** One file's line. */
export function indexLine(id: string, file: IndexedFile): string {
  return `${JSON.stringify(id)}\t${JSON.stringify([file.stamp, file.account, file.sealed])}`
}

/**
 * The index, or null when there is none or it is not one this version wrote whole (then the files
 * are read and a new one is written). An entry is checked for the fields the list reads when it is
 * looked up, without a schema parse of its record: the index is Latchkey's own file, and an entry
 * that is not one is read from its file instead, as a file it disagrees with is. `head`: its first
 * line, when the caller has read it already (it holds the order of every account: not parsed twice).
 */
export function parseIndex(text: string | null, head = parseIndexHead(text)): ReadIndex | null {
  if (text === null || head === null) return null
  const first = text.indexOf('\n')
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
  if (lines.size !== head.files) return null
  return {
    settings: head.settings,
    size: lines.size,
    file(id) {
      const line = lines.get(id)
      return line === undefined ? null : entryIn(line, id)
    },
  }
}

/** Just the index's first line: how many files it describes and its settings part (null: not an index). */
export function parseIndexHead(text: string | null): { files: number; settings: IndexedSettings | null } | null {
  if (text === null) return null
  const first = text.indexOf('\n')
  const head = parseObject(first < 0 ? text : text.slice(0, first))
  if (head === null || head['v'] !== VERSION || typeof head['files'] !== 'number') return null
  return { files: head['files'], settings: parseSettings(head['settings']) }
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
 * The settings part in a file of its own (accounts/settings-index), as the version before this one
 * kept it beside an index it deleted before each account write. No longer written: one left by that
 * version after a crash is read once, while the settings file's stamp is the one it saw (it was
 * deleted before the settings file was written), and deleted before the settings file is written
 * again or a new index is written.
 */
const SETTINGS_VERSION = 1

/** The settings part, or null when there is none or it is not one this version wrote. */
export function parseSettingsIndex(text: string | null): IndexedSettings | null {
  const value = text === null ? null : parseObject(text)
  return value?.['v'] === SETTINGS_VERSION ? parseSettings(value['settings']) : null
}

/**
 * The journal of what was written since the index: a first line naming the boot it was begun in,
 * then one line per file written (an account's id as JSON text, or SETTINGS_LINE for the settings
 * file).
 */
const JOURNAL_VERSION = 1
const SETTINGS_LINE = 'settings'

export function journalHead(boot: string): string {
  return `${JSON.stringify({ v: JOURNAL_VERSION, boot })}\n`
}

/** The line naming an account's file. */
export function journalLine(id: string): string {
  return `${JSON.stringify(id)}\n`
}

/** The line naming the settings file. */
export const SETTINGS_JOURNAL_LINE = `${SETTINGS_LINE}\n`

/** What a start may take from the index, as the journal beside it says. */
export type Journal =
  /** Nothing written since the index, or these files (and the settings file when `settings`). */
  | { ids: Set<string>; settings: boolean }
  /** Begun in another boot (a power cut may have lost lines), or not one: the index vouches for nothing. */
  | 'untrusted'

/** The journal as a start reads it (`text` null: there is none, so nothing was written since the index). */
export function parseJournal(text: string | null, boot: string | null): Journal {
  if (text === null) return { ids: new Set(), settings: false }
  const lines = text.split('\n')
  const head = parseObject(lines[0] ?? '')
  if (head?.['v'] !== JOURNAL_VERSION || boot === null || head['boot'] !== boot) return 'untrusted'
  const journal = { ids: new Set<string>(), settings: false }
  // Each line is written whole with its line break, so only an empty last one can follow it.
  if (lines.pop() !== '') return 'untrusted'
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line === SETTINGS_LINE) {
      journal.settings = true
      continue
    }
    const id = idIn(line)
    if (id === null) return 'untrusted'
    journal.ids.add(id)
  }
  return journal
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
