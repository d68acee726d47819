/**
 * The journal beside the start-up index as this process keeps it (see startup-index.ts): which
 * index it belongs to, how many files it names, whether a new index is due, and the journal of an
 * index being written during the session, named into alongside the journal until that index is in
 * place.
 *
 * Indexes are numbered in this process and each number is given once (to an index written at quit,
 * or to one begun during the session, finished or given up). A file's mark is the number it was
 * last named under. While an index is being written every file is named in both journals, so a mark
 * at or above the number of the index on disk says the file is named in its journal, and a mark at
 * or above the number of the index being written says it is named in that one's too.
 */
import type { AccountFiles, Logger } from '../ports.ts'
import { journalHead } from './startup-index.ts'

/**
 * When an index is written during a session: once the journal names a quarter of the files the index
 * describes (or 2,500 of them, for much larger sets), and no sooner than five minutes after the
 * last index. A start after a crash then reads at most about that many files beside the index,
 * instead of every file after a long session; and at 10,000 accounts the index (5 MB, flushed) is
 * written at most twelve times an hour, and only as often as a quarter of the accounts are renewed.
 */
export const INDEX_REFRESH_SHARE = 4
export const INDEX_REFRESH_FILES = 2_500
export const INDEX_REFRESH_EVERY_MS = 5 * 60_000

export class StartupJournal {
  readonly #files: AccountFiles
  readonly #logger: Logger
  readonly #everyMs: number
  #now: () => number = Date.now
  /** Whether an index is on disk (every write is then named in its journal first), and whether its journal is. */
  #indexOnDisk = false
  #journalOnDisk = false
  /** The number of the index on disk, the last number given, and the number of the index being written (null: none). */
  #current = 1
  #last = 1
  #next: number | null = null
  /** Files the index on disk describes; names in its journal; names in the journal of the index being written. */
  #indexed = 0
  #named = 0
  #namedNext = 0
  /** When the index on disk was written (or found, at start). */
  #indexedAt = Date.now()

  constructor(files: AccountFiles, logger: Logger, everyMs = INDEX_REFRESH_EVERY_MS) {
    this.#files = files
    this.#logger = logger
    this.#everyMs = everyMs
  }

  /** What a start found: an index describing `files` files (or none), and a journal naming `named` of them (or none). */
  opened(found: { index: boolean; journal: boolean; files: number; named: number }): void {
    this.#indexOnDisk = found.index
    this.#journalOnDisk = found.journal
    this.#indexed = found.files
    this.#named = found.named
  }

  /** The clock that says when an index is due (the registry's). */
  useClock(now: () => number): void {
    this.#now = now
    this.#indexedAt = now()
  }

  get indexOnDisk(): boolean {
    return this.#indexOnDisk
  }

  /**
   * Names a file (its journal line) before a write, in each journal that has not named it since
   * `mark`; returns its new mark. When the journal cannot take it, the index is deleted (a start
   * then reads every file); when the next one cannot, the index being written is given up.
   */
  name(line: string, mark: number): number {
    if (!this.#indexOnDisk) return this.#nameForFirst(line, mark)
    let named = mark
    if (mark < this.#current) {
      if (!this.#append(line)) return mark
      this.#named++
      named = this.#current
    }
    const next = this.#next
    if (next !== null && mark < next) {
      try {
        if (!this.#files.appendNextJournal) throw new Error('No journal here.')
        this.#files.appendNextJournal(line)
        this.#namedNext++
        named = next
      } catch (error) {
        this.#logger.warn('accounts.journal-failed', { error: message(error) })
        this.abandon(next)
      }
    }
    return named
  }

  /** With no index on disk: named in the journal of the first index while one is being written (see begin). */
  #nameForFirst(line: string, mark: number): number {
    const next = this.#next
    if (next === null || mark >= next) return mark
    try {
      if (!this.#files.appendJournal) throw new Error('No journal here.')
      this.#files.appendJournal(line)
      this.#namedNext++
      return next
    } catch (error) {
      this.#logger.warn('accounts.journal-failed', { error: message(error) })
      this.abandon(next)
      return mark
    }
  }

  /** Whether a new index is due during the session (see INDEX_REFRESH_SHARE). */
  due(): boolean {
    if (!this.#indexOnDisk || this.#next !== null || this.#named === 0) return false
    if (this.#named * INDEX_REFRESH_SHARE < this.#indexed && this.#named < INDEX_REFRESH_FILES) return false
    return this.#now() - this.#indexedAt >= this.#everyMs
  }

  /**
   * Begins the journal of a new index, before anything is taken for it: every file written from
   * now on is named in it. Returns the index's number, or null when it cannot be begun. With no
   * index on disk (after a start that found none), that journal is the journal itself, begun anew
   * and flushed with its folder as before any first write it covers: a start ignores a journal with
   * no index beside it, and once the index is put beside it, it names every file written since the
   * index took its entries, whatever a crash or a power cut leaves of the rest.
   */
  begin(): number | null {
    const files = this.#files
    const boot = files.bootId?.() ?? null
    const canBegin = this.#indexOnDisk ? files.beginNextJournal !== undefined : files.beginJournal !== undefined && files.appendJournal !== undefined
    if (this.#next !== null || boot === null || !canBegin || !files.replaceIndex || !files.stamp) return null
    const number = ++this.#last
    try {
      if (this.#indexOnDisk) files.beginNextJournal?.(journalHead(boot))
      else {
        files.beginJournal?.(journalHead(boot))
        this.#journalOnDisk = true
      }
    } catch (error) {
      this.#logger.warn('accounts.journal-failed', { error: message(error) })
      return null
    }
    this.#next = number
    this.#namedNext = 0
    return number
  }

  /** Whether the index numbered `number` is still being written (not given up, not overtaken by one written at quit). */
  building(number: number): boolean {
    return this.#next === number
  }

  /**
   * The index numbered `number`, describing `files` files, is in place: its journal takes the
   * journal's place. Until then the journal beside the new index named every file written since
   * the old one, which is more than it must.
   */
  promote(number: number, files: number): void {
    if (this.#next !== number) return
    if (this.#indexOnDisk) this.#promoteNext()
    else {
      // The first index: its journal is the journal already.
      this.#indexOnDisk = true
      this.#named = this.#namedNext
    }
    this.#next = null
    this.#current = number
    this.#indexed = files
    this.#indexedAt = this.#now()
    this.#journalOnDisk = true
  }

  #promoteNext(): void {
    try {
      if (!this.#files.promoteNextJournal) throw new Error('No journal here.')
      this.#files.promoteNextJournal()
      this.#named = this.#namedNext
    } catch (error) {
      // The journal left in place names all the new one does, and more: kept.
      this.#logger.warn('accounts.journal-promote-failed', { error: message(error) })
      this.#dropNext()
    }
  }

  /** Gives up the index numbered `number` if it is still being written: its journal is deleted. */
  abandon(number: number): void {
    if (this.#next !== number) return
    this.#next = null
    // The first index's journal stays: with no index beside it, a start ignores it (and a quit deletes it).
    if (this.#indexOnDisk) this.#dropNext()
  }

  /**
   * An index describing `files` files was written with nothing in flight (at quit): an index being
   * written is given up, and every write from now on is named again, in a journal begun anew.
   */
  indexWritten(files: number): void {
    // One a crashed run left is deleted with it.
    this.#next = null
    this.#dropNext()
    this.#indexOnDisk = true
    this.#current = ++this.#last
    this.#indexed = files
    this.#named = 0
    this.#indexedAt = this.#now()
    try {
      if (this.#journalOnDisk) this.#files.dropJournal?.()
    } catch (error) {
      // Left beside the new index, an older journal only has files read that need not be.
      this.#logger.warn('accounts.journal-drop-failed', { error: message(error) })
    }
    this.#journalOnDisk = false
  }

  /** Appends to the journal, beginning it first when there is none; false (and the index deleted) when it cannot. */
  #append(line: string): boolean {
    const files = this.#files
    try {
      if (!files.appendJournal || !files.beginJournal) throw new Error('No journal here.')
      if (!this.#journalOnDisk) {
        const boot = files.bootId?.() ?? null
        if (boot === null) throw new Error('This boot of the machine cannot be named.')
        files.beginJournal(journalHead(boot))
        this.#journalOnDisk = true
      }
      files.appendJournal(line)
      return true
    } catch (error) {
      this.#logger.warn('accounts.journal-failed', { error: message(error) })
      if (this.#next !== null) this.abandon(this.#next)
      files.dropIndex?.()
      this.#indexOnDisk = false
      return false
    }
  }

  #dropNext(): void {
    try {
      this.#files.dropNextJournal?.()
    } catch (error) {
      // Never read by a start; begun anew by the next index written during a session.
      this.#logger.warn('accounts.journal-drop-failed', { error: message(error) })
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
