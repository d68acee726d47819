/**
 * Each account's own file: its settings record (the newest one) and its sealed secrets, written as
 * one unit, so a refresh writes one small file whatever the number of accounts. Changes made in one
 * tick are coalesced into one write; writes to one account reach the disk in order.
 *
 * A start takes the records from the start-up index where the files are unchanged and the journal
 * beside it does not name them (see startup-index.ts): the index is kept while files are written,
 * each file named in the journal before its first write after the index, and written anew during
 * a session once the journal names many files (see refreshIndex). Sealed secrets
 * are not kept in memory once they are on disk: they are read from the account's file each time
 * they are asked for (at 10,000 accounts they were the largest thing held per account).
 */
import { z } from 'zod'
import { PROVIDER_KINDS } from '../../../shared/contract.ts'
import { storedTypedValue } from '../profile.ts'
import type { AccountFiles, Logger } from '../ports.ts'
import type { SessionFacts } from '../sessions/session.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { accountFileJson, accountFileParts, isOwnRecord, SHAPE, sealedIn } from './account-file.ts'
import { plainParts, plainRecordOf } from './plain-account-file.ts'
import { inSlices } from '../slices.ts'
import { formatIndex, indexHead, indexLine, journalLine, parseIndex, parseIndexHead, parseJournal, parseSettingsIndex, SETTINGS_JOURNAL_LINE, type IndexedFile, type IndexedSettings } from './startup-index.ts'
import { StartupJournal } from './startup-journal.ts'

export interface StoredAccount {
  /** The newest settings record of this account. */
  account: AccountRecord | null
  /** The account's secrets sealed with the vault key (see sealed.ts), or null. */
  sealed: string | null
}

const nullableString = z.string().nullable()
const attentionSchema = z.object({
  reason: z.enum(['refresh-rejected', 'revoked', 'network-down', 'keychain-unavailable', 'expired', 'rate-limited']),
  message: z.string(),
  since: z.string(),
  retryAt: z.string().optional(),
})
const accountSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  provider: z.enum(PROVIDER_KINDS),
  config: z.record(z.string(), z.string()),
  identity: z.object({ subject: z.string(), name: nullableString, email: nullableString }),
  profile: z.record(z.string(), z.union([z.string(), z.looseObject({ kind: z.string(), value: z.string() }).transform(storedTypedValue)])),
  createdAt: z.string(),
  lastRefreshAt: nullableString,
  expiresAt: nullableString,
  attention: attentionSchema.nullable(),
  signedOut: z.boolean(),
  refreshStartedAt: nullableString.optional(),
  credentials: z
    .array(z.object({ kind: z.string(), label: z.string(), status: z.enum(['ok', 'needs-attention', 'unknown']), expiresAt: z.string().optional(), message: z.string().optional() }))
    .optional(),
  cliAccess: z.boolean().optional(),
  sessionFacts: z
    .object({ expiresAt: z.number().nullable(), issuedAt: z.number(), refreshable: z.boolean(), isStatic: z.literal(true).optional() })
    .nullable()
    .optional(),
})
export const partsSchema = z.object({ account: accountSchema.nullable(), sealed: nullableString })

/** In memory: the record, and whether the account's file holds sealed secrets. */
interface Entry {
  account: AccountRecord | null
  sealed: boolean
  /** The number of the index under which the journal last named this account's file (see StartupJournal): 0, none. */
  journaled: number
}

/** A start that read more files than this beside the index writes a new one (fewer are read again at the next start). */
export const REREADS_BEFORE_NEW_INDEX = 64

/** Lines per part of an index written during a session (about 130 KB at 10,000 accounts). */
const INDEX_PART_LINES = 256

/**
 * One account's writes in flight, in one place rather than a map of every account per counter (a
 * refresh looked each up in a map of 10,000; these exist only while the account has writes).
 */
interface Writes {
  /** The last write asked for: every write runs after the one before it. */
  queue: Promise<void>
  /** A write that is queued and has not started: later changes go with it. */
  waiting: Promise<void> | null
  /** The newest version of the entry asked to be written, the newest written, and the newest that must be flushed. */
  version: number
  written: number
  durableWanted: number
}

export class AccountStore {
  readonly #files: AccountFiles
  readonly #logger: Logger
  readonly #entries = new Map<string, Entry>()
  /** Sealed secrets memory must hold: set and not written yet (or not written: a write failed), or the files cannot be read back. */
  readonly #sealedText = new Map<string, string | null>()
  readonly #damaged = new Map<string, string>()
  /** Each account's writes while any is queued or running (dropped when the last one ends). */
  readonly #writes = new Map<string, Writes>()

  /** Writes that failed: memory holds what the disk does not, so no index is written. */
  readonly #failed = new Set<string>()
  /** The journal beside the index, and the settings file's mark in it (see StartupJournal). */
  readonly #journal: StartupJournal
  #settingsJournaled = 0
  /** The order and active account for an index written during a session (undefined: not now), once the registry gives them. */
  #settingsForIndex: (() => IndexedSettings | null | undefined) | null = null
  /** Whether a change of the active account waits to be written (no index is begun then: it would be given up). */
  #settingsWaiting: () => boolean = () => false
  /** Whether the settings part an earlier version kept in a file of its own may be on disk (deleted before the settings file is written). */
  #settingsIndexOnDisk = true
  /** The settings part of the index read at start, when there was one. */
  #indexedSettings: IndexedSettings | null = null
  /** Whether this start had to read account files the index did not cover (or had no index). */
  #stale = true
  /** How many files this start read again beside the index (at start, and when their stamps were compared later). */
  #reread = 0
  /** Accounts whose records a start took from the index before comparing their files' stamps: id → the index's stamp (see checkIndexed). */
  readonly #unchecked = new Map<string, string>()

  /**
   * Reads the account files now (see `opened` for reading them in slices). `indexEveryMs`: how soon
   * after an index another may be written during a session (see INDEX_REFRESH_EVERY_MS).
   */
  constructor(files: AccountFiles, logger: Logger, reading: 'now' | 'by the caller' = 'now', options: { indexEveryMs?: number } = {}) {
    this.#files = files
    this.#logger = logger
    this.#journal = new StartupJournal(files, logger, options.indexEveryMs)
    if (reading === 'now') for (const step = this.#loading(false); !step.next().done; );
  }

  /**
   * The store, its files read in slices with the event loop free between them: a start serves the
   * page (its script, its styles) while the accounts are read. The records the index holds for
   * files the journal does not name are taken as they are, their files' stamps compared afterwards
   * (checkIndexed, which the caller runs before the records are acted on): at 10,000 accounts,
   * that is 10,000 file system calls after the list is shown rather than before.
   */
  static async opened(files: AccountFiles, logger: Logger, options: { indexEveryMs?: number } = {}): Promise<AccountStore> {
    const store = new AccountStore(files, logger, 'by the caller', options)
    await inSlices(store.#loading(true), () => undefined)
    return store
  }

  /**
   * Reads every account file, one per step: records from the index where their file is unchanged
   * and not named in the journal (see startup-index.ts). `stampsLater`: where the files' names can
   * be listed without their stamps, the index's records of the files the journal does not name are
   * taken without comparing stamps, and compared by checkIndexed.
   */
  *#loading(stampsLater: boolean): Generator<void, void> {
    const files = this.#files
    const text = files.list && files.read ? (files.readIndex?.() ?? null) : null
    const head = parseIndexHead(text)
    const journalText = head ? (files.readJournal?.() ?? null) : null
    const parsed = head ? parseJournal(journalText, files.bootId?.() ?? null) : 'untrusted'
    if (head && parsed === 'untrusted') this.#logger.warn('accounts.index-journal-untrusted', {})
    const journal = parsed === 'untrusted' ? null : parsed
    // Kept, with its journal, while files are written (an index that is not one is written anew).
    this.#journal.opened({ index: head !== null, journal: journalText !== null, files: head?.files ?? 0, named: journal?.ids.size ?? head?.files ?? 0 })
    // The settings part unless the settings file was written since; without an index, one a version
    // before this one left on its own after a crash (see startup-index.ts).
    this.#indexedSettings = head && journal ? (journal.settings ? null : head.settings) : parseSettingsIndex(files.readSettingsIndex?.() ?? null)
    // When the journal names more than half the files, every file is read in one pass, as without
    // an index: a stamp and a look-up each would only add to that.
    const index = head && journal && journal.ids.size * 2 <= head.files ? parseIndex(text, head) : null
    if (index && journal && files.list && files.read) {
      let reread = 0
      const listed = stampsLater && files.names && files.stamp ? unstamped(files.names()) : files.list()
      for (const { id, stamp } of listed) {
        const known = stamp === '' || journal.ids.has(id) ? null : index.file(id)
        if (known && (stamp === null || known.stamp === stamp)) {
          this.#entries.set(id, { account: known.account, sealed: known.sealed, journaled: 0 })
          if (stamp === null) this.#unchecked.set(id, known.stamp)
        } else {
          reread++
          this.#take(id, files.readChecked ? files.readChecked(id) : (files.read(id) ?? ''))
        }
        yield
      }
      // Files the journal names are named again, under this index, at their next write.
      this.#reread = reread
      this.#stale = reread > REREADS_BEFORE_NEW_INDEX
      this.#logger.info('accounts.index-read', { accounts: this.#entries.size, reread, journaled: journal.ids.size, ...(this.#unchecked.size > 0 ? { unchecked: this.#unchecked.size } : {}) })
    } else {
      // Every file read as it is listed, with no stamp taken (the index written later takes each
      // file's stamp then). Their checked bytes where a file can be read again for its sealed
      // secrets: only each record is parsed.
      const checked = files.read && files.readAllChecked ? files.readAllChecked() : null
      for (const [id, content] of checked ?? files.readAll()) {
        this.#take(id, content)
        yield
      }
      if (journal) this.#logger.info('accounts.index-read', { accounts: this.#entries.size, reread: this.#entries.size, journaled: journal.ids.size })
    }
    if (this.#damaged.size > 0) this.#logger.warn('accounts.files-damaged', { ids: [...this.#damaged.keys()] })
  }

  #take(id: string, content: string | Buffer): void {
    if (typeof content !== 'string') {
      const plain = plainRecordOf(content)
      if (plain && isOwnRecord(id, plain.account)) {
        this.#entries.set(id, { account: plain.account, sealed: plain.sealed, journaled: 0 })
        return
      }
      content = content.toString('utf8')
    }
    const stored = parse(id, content)
    if (typeof stored === 'string') {
      this.#damaged.set(id, stored)
      return
    }
    this.#entries.set(id, { account: stored.account, sealed: stored.sealed !== null, journaled: 0 })
    // Without a way to read one file again, its sealed secrets stay in memory.
    if (!this.#files.read && stored.sealed !== null) this.#sealedText.set(id, stored.sealed)
  }

  /**
   * After a start in slices (see `opened`): the stamp of each file whose record was taken from the
   * index compared with the index's, in slices, and a file changed since (behind Latchkey's back)
   * read again, as a start that compares them first reads it. Until then those records are the
   * index's; one written or removed meanwhile is not compared (memory is newer than either).
   * Resolves with the accounts whose files had changed: their records read again, or their files
   * found damaged (then, as at a start that reads them, the store holds no record for them).
   */
  async checkIndexed(): Promise<string[]> {
    const files = this.#files
    const changed: string[] = []
    if (this.#unchecked.size === 0 || !files.stamp) return changed
    const stampOf = files.stamp.bind(files)
    const before = this.#damaged.size
    await inSlices([...this.#unchecked.keys()], (id) => {
      if (this.#unchecked.has(id) && this.#recheck(id, stampOf(id))) changed.push(id)
    })
    this.#logger.info('accounts.index-checked', { reread: changed.length })
    if (this.#damaged.size > before) this.#logger.warn('accounts.files-damaged', { ids: changed.filter((id) => this.#damaged.has(id)) })
    if (this.#reread > REREADS_BEFORE_NEW_INDEX) this.#stale = true
    return changed
  }

  /**
   * A file whose record was taken from the index without its stamp compared, now that its stamp is
   * known: read again when it differs from the index's. Returns whether it was read again.
   */
  #recheck(id: string, stamp: string): boolean {
    const indexed = this.#unchecked.get(id)
    if (indexed === undefined) return false
    this.#unchecked.delete(id)
    if (stamp !== '' && stamp === indexed) return false
    this.#reread++
    this.#entries.delete(id)
    const files = this.#files
    this.#take(id, files.readChecked ? files.readChecked(id) : (files.read?.(id) ?? ''))
    return true
  }

  /**
   * The order and active account the index holds, while the settings file is as the index saw it
   * (`stamp`) and every listed account can be found (its file, or the record the index kept).
   */
  indexedSettings(stamp: string | null): IndexedSettings | null {
    const settings = this.#indexedSettings
    if (!settings || stamp === null || settings.stamp !== stamp) return null
    return settings.order.every((id) => this.#entries.get(id)?.account ?? settings.records[id]) ? settings : null
  }

  /** The settings file's stamp when the index was written (null: no index). */
  indexedStamp(): string | null {
    return this.#indexedSettings?.stamp ?? null
  }

  /** Whether the index did not cover this start (it was missing, or files had changed). */
  get indexStale(): boolean {
    return this.#stale
  }

  /**
   * Writes the start-up index from memory, when memory is what the files hold: no write is under
   * way and none failed. The journal is then deleted: the new index vouches for what it named.
   * Returns whether it was written.
   */
  saveIndex(settings: IndexedSettings | null): boolean {
    const files = this.#files
    if (!files.writeIndex || !files.list || this.#writes.size > 0 || this.#failed.size > 0) return false
    const indexed = new Map<string, IndexedFile>()
    for (const { id, stamp } of files.list()) {
      // One not compared yet (a quit right after a start): compared now, with the stamp at hand.
      this.#recheck(id, stamp)
      const entry = this.#entries.get(id)
      if (entry && stamp !== '') indexed.set(id, { stamp, account: entry.account, sealed: entry.sealed })
    }
    try {
      files.writeIndex(formatIndex({ files: indexed, settings }))
    } catch (error) {
      this.#logger.warn('accounts.index-write-failed', { error: error instanceof Error ? error.message : String(error) })
      return false
    }
    this.#stale = false
    // Every write from now on is named again, in a journal begun anew (an index being written in the session is given up).
    this.#journal.indexWritten(indexed.size)
    try {
      this.#dropSettingsIndex()
    } catch (error) {
      this.#logger.warn('accounts.journal-drop-failed', { error: error instanceof Error ? error.message : String(error) })
    }
    return true
  }

  /**
   * Lets the store write the start-up index during the session when it is due (see
   * INDEX_REFRESH_SHARE): `settings` gives the index's settings part, or undefined when memory is
   * not what the settings file holds now (a change of the active account waiting to be written);
   * `waiting` says so without working the settings part out, so no index is begun meanwhile;
   * `now` says when it is due.
   */
  keepIndexFresh(settings: () => IndexedSettings | null | undefined, waiting: () => boolean, now: () => number): void {
    this.#settingsForIndex = settings
    this.#settingsWaiting = waiting
    this.#journal.useClock(now)
  }

  /**
   * Writes the start-up index during a session, with the event loop free between slices and the
   * write flushed off the main thread, while files go on being written. Its journal is begun first,
   * so every file written from then on is named in it (and in the journal beside the index on disk,
   * until the new index takes its place). Each file's entry is taken with its stamp when no write of
   * that file is queued or running (memory is then what the file holds), else the file is left out
   * (a start reads it). Then the index replaces the old one and its journal the old journal: a
   * crash at any point leaves an index beside a journal naming every file written since that index
   * took its entry (see startup-index.ts). Resolves when it is written or given up.
   */
  async refreshIndex(): Promise<void> {
    const files = this.#files
    const settingsFor = this.#settingsForIndex
    const number = settingsFor && files.stamp ? this.#journal.begin() : null
    if (number === null || !settingsFor || !files.stamp || !files.replaceIndex) return
    const stampOf = files.stamp.bind(files)
    try {
      // Taken on a turn of its own, not inside the change that found the index due.
      await new Promise<void>((resolve) => setImmediate(resolve))
      const settings = settingsFor()
      if (settings === undefined || !this.#journal.building(number)) return
      // The files' lines in parts of INDEX_PART_LINES, each after a line break: never one 5 MB string to build or write.
      const parts: string[] = []
      let lines: string[] = []
      let count = 0
      await inSlices(this.ids(), (id) => {
        const entry = this.#entries.get(id)
        if (!entry || this.#writes.has(id) || this.#failed.has(id) || this.#unchecked.has(id) || !this.#journal.building(number)) return
        const stamp = stampOf(id)
        if (stamp === '') return
        lines.push(indexLine(id, { stamp, account: entry.account, sealed: entry.sealed }))
        count++
        if (lines.length < INDEX_PART_LINES) return
        parts.push(`\n${lines.join('\n')}`)
        lines = []
      })
      if (lines.length > 0) parts.push(`\n${lines.join('\n')}`)
      if (!this.#journal.building(number)) return
      if (!(await files.replaceIndex([indexHead(settings, count), ...parts], () => this.#journal.building(number)))) return
      this.#journal.promote(number, count)
      this.#stale = false
      this.#dropSettingsIndex()
      this.#logger.info('accounts.index-refreshed', { files: count })
    } catch (error) {
      this.#logger.warn('accounts.index-write-failed', { error: error instanceof Error ? error.message : String(error) })
    } finally {
      this.#journal.abandon(number)
    }
  }

  /** Before the settings file is written (by the registry): named in the journal, and the settings part an earlier version kept on its own deleted. */
  settingsWillChange(): void {
    this.#dropSettingsIndex()
    this.#settingsJournaled = this.#journal.name(SETTINGS_JOURNAL_LINE, this.#settingsJournaled)
  }

  /**
   * The account's file named in the journal before it is written, once per file per index: a start
   * after a crash reads it whatever its stamp (see StartupJournal.name). A new index is begun when
   * one is due.
   */
  #journalAccount(id: string, entry: Entry | undefined): void {
    const mark = this.#journal.name(journalLine(id), entry?.journaled ?? 0)
    if (entry) entry.journaled = mark
    if (this.#settingsForIndex && this.#journal.due() && !this.#settingsWaiting()) void this.refreshIndex()
  }

  #dropSettingsIndex(): void {
    if (!this.#settingsIndexOnDisk) return
    this.#files.dropSettingsIndex?.()
    this.#settingsIndexOnDisk = false
  }

  get dir(): string {
    return this.#files.dir
  }

  /** The account's newest record, without reading its sealed secrets. */
  account(id: string): AccountRecord | null {
    return this.#entries.get(id)?.account ?? null
  }

  /** The record and its sealed secrets (read from the account's file, and not kept). */
  get(id: string): StoredAccount | undefined {
    const entry = this.#entries.get(id)
    if (!entry) return undefined
    return { account: entry.account, sealed: this.#sealedOf(id, entry) ?? null }
  }

  /** Whether the account has sealed secrets (in its file, or on their way there), without reading them. */
  hasSealed(id: string): boolean {
    const text = this.#sealedText.get(id)
    return text === undefined ? this.#entries.get(id)?.sealed === true : text !== null
  }

  /** The newest sealed secrets: memory's while they are not on disk, else the file's (undefined: it cannot be read now). */
  #sealedOf(id: string, entry: Entry): string | null | undefined {
    if (this.#sealedText.has(id)) return this.#sealedText.get(id) ?? null
    return entry.sealed ? this.#readSealed(id) : null
  }

  /** The sealed secrets in the account's file; undefined when the file cannot be read now (kept for another try). */
  #readSealed(id: string): string | null | undefined {
    const text = this.#files.read?.(id) ?? null
    if (text === null) return undefined
    const sealed = sealedIn(id, text)
    if (sealed !== undefined) return sealed
    this.#logger.warn('accounts.file-damaged', { accountId: id })
    return null
  }

  ids(): string[] {
    return [...this.#entries.keys()]
  }

  /** Account files that could not be read (cut short, changed by hand), id → why. */
  damaged(): ReadonlyMap<string, string> {
    return this.#damaged
  }

  /**
   * Changes the account's entry in memory now and resolves once a write holding the change is on
   * disk. `durable: false`: written atomically but not flushed (see AccountFiles).
   */
  set(id: string, patch: Partial<StoredAccount>, options: { durable?: boolean } = {}): Promise<void> {
    const sealed = patch.sealed
    if (sealed !== undefined) this.#sealedText.set(id, sealed)
    let current = this.#entries.get(id)
    if (current) {
      // Entries never leave this class: changed in place rather than replaced in a map of every account.
      if (patch.account !== undefined) current.account = patch.account
      if (sealed !== undefined) current.sealed = sealed !== null
    } else {
      current = { account: patch.account ?? null, sealed: sealed !== undefined && sealed !== null, journaled: 0 }
      this.#entries.set(id, current)
    }
    this.#damaged.delete(id)
    // Memory is newer than the file and the index now: nothing to compare.
    this.#unchecked.delete(id)
    this.#journalAccount(id, current)
    const durable = options.durable ?? true
    const writes = this.#writes.get(id)
    if (writes?.waiting) {
      // That write takes the newest entry when it starts, this change with it (a refresh's sealed
      // session and its record, set one after the other, are one write).
      want(writes, durable)
      return writes.waiting
    }
    const written = this.#enqueue(id, durable, async (flush) => {
      const entry = this.#entries.get(id)
      if (!entry) {
        await this.#files.remove(id)
        return
      }
      // A record changed alone: the sealed secrets on disk are read and kept, never written over.
      const sealed = this.#sealedOf(id, entry)
      if (sealed === undefined) throw new Error('The account file could not be read to keep its session.')
      await this.#files.write(id, accountFileJson(entry.account, sealed), { durable: flush })
      // On disk now: memory lets go of them, unless newer ones came meanwhile (or the file cannot be read back).
      if (this.#files.read && this.#sealedText.get(id) === sealed) this.#sealedText.delete(id)
    })
    const queued = this.#writes.get(id)
    if (queued && queued.queue === written) queued.waiting = written
    return written
  }

  /**
   * Accounts found elsewhere (the records of a settings file that had to be moved aside) that have
   * no file of their own: each one that is a valid account gets a file, so it is offered back with
   * the other accounts missing from the settings. Returns their ids.
   */
  keepIfMissing(candidates: unknown[]): string[] {
    const kept: string[] = []
    for (const candidate of candidates) {
      // Files of versions before 1.0.0 lack these three; the settings migration fills them in the same way.
      const filled = typeof candidate === 'object' && candidate !== null ? { profile: {}, attention: null, signedOut: false, ...candidate } : candidate
      const parsed = accountSchema.safeParse(filled)
      if (!parsed.success || this.#entries.get(parsed.data.id)?.account) continue
      const account = withoutUndefined(parsed.data)
      void this.set(account.id, { account }).catch(() => undefined)
      kept.push(account.id)
    }
    if (kept.length > 0) this.#logger.info('accounts.kept-from-moved-settings', { count: kept.length })
    return kept
  }

  /** Forgets the account and deletes its file. */
  remove(id: string): Promise<void> {
    this.#entries.delete(id)
    this.#sealedText.delete(id)
    this.#damaged.delete(id)
    this.#unchecked.delete(id)
    // A write queued before the removal must not take changes made after it.
    const writes = this.#writes.get(id)
    if (writes) writes.waiting = null
    this.#journalAccount(id, undefined)
    return this.#enqueue(id, true, () => this.#files.remove(id))
  }

  /** Resolves when every write already asked for has finished. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#writes.values()].map((writes) => writes.queue))
  }

  /**
   * Runs after the writes before it; a write finds the newest entry, so one that an earlier write
   * already covered is skipped.
   */
  #enqueue(id: string, durable: boolean, write: (flush: boolean) => Promise<void>): Promise<void> {
    let writes = this.#writes.get(id)
    if (!writes) {
      writes = { queue: Promise.resolve(), waiting: null, version: 0, written: 0, durableWanted: 0 }
      this.#writes.set(id, writes)
    }
    const mine = writes
    const wanted = want(mine, durable)
    const run = async (): Promise<void> => {
      if (mine.waiting === next) mine.waiting = null
      try {
        if (mine.written >= wanted) return
        const version = mine.version
        // This write holds every change up to `version`: it is flushed if any of them asked to be.
        const flush = mine.durableWanted > mine.written
        try {
          await write(flush)
        } catch (error) {
          this.#failed.add(id)
          this.#logger.error('accounts.write-failed', { accountId: id, error: error instanceof Error ? error.message : String(error) })
          throw error
        }
        this.#failed.delete(id)
        mine.written = Math.max(mine.written, version)
      } finally {
        // The last write asked for has ended with every version on disk: nothing needs keeping (after
        // a failure the counters stay, so that the next write is flushed if a lost one had to be).
        if (mine.queue === next && mine.written >= mine.version && this.#writes.get(id) === mine) this.#writes.delete(id)
      }
    }
    const next = mine.queue.then(run, run)
    mine.queue = next
    return next
  }
}

/** Names listed without stamps (null: not taken; see `opened`). */
function* unstamped(ids: Iterable<string>): Generator<{ id: string; stamp: string | null }> {
  for (const id of ids) yield { id, stamp: null }
}

/** A new version of the account's entry to write (flushed when `durable`); returns its number. */
function want(writes: Writes, durable: boolean): number {
  writes.version += 1
  if (durable) writes.durableWanted = writes.version
  return writes.version
}

function parse(id: string, text: string): StoredAccount | string {
  const parts = accountFileParts(text)
  if (typeof parts === 'string') return parts
  const plain = plainParts(parts)
  if (plain) return isOwnRecord(id, plain.account) ? plain : 'The file belongs to another account.'
  const parsed = partsSchema.safeParse(parts)
  if (!parsed.success) return SHAPE
  const { account, sealed } = parsed.data
  if (!isOwnRecord(id, account)) return 'The file belongs to another account.'
  return { account: account && withoutUndefined(account), sealed }
}

/** exactOptionalPropertyTypes: an absent field stays absent. */
function withoutUndefined(account: z.infer<typeof accountSchema>): AccountRecord {
  const { refreshStartedAt, cliAccess, sessionFacts, ...rest } = account
  return {
    ...rest,
    ...(refreshStartedAt === undefined ? {} : { refreshStartedAt }),
    ...(cliAccess === undefined ? {} : { cliAccess }),
    ...(sessionFacts === undefined ? {} : { sessionFacts: sessionFacts && factsFrom(sessionFacts) }),
  }
}

function factsFrom({ isStatic, ...facts }: NonNullable<z.infer<typeof accountSchema>['sessionFacts']>): SessionFacts {
  return isStatic ? { ...facts, isStatic } : facts
}
