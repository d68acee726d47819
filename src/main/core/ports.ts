/**
 * The ports through which the core reaches the outside world. Adapters implement them for the
 * Electron shell (keytar, electron-store, shell.openExternal) and for plain Node (keytar, conf,
 * xdg-open); tests pass in-memory fakes.
 */

/**
 * The OS keychain. Latchkey keeps one item in it per data folder (the vault key); every call may be
 * slow or hang: the core wraps it with a deadline.
 */
export interface SecretStore {
  get(key: string): Promise<string | null>
  set(key: string, secret: string): Promise<void>
  delete(key: string): Promise<void>
  /** Every item under this app's service, in one batch: read only to move the per-account items of older versions into the vault. */
  loadAll(): Promise<Map<string, string>>
  /** Drops the connection to the keychain and opens a fresh one on the next call ("Try again" after the keyring restarted). */
  reconnect?(): Promise<void>
}

/**
 * One small file per account on disk. `write` is atomic and durable before it resolves (a crash
 * at any point leaves the old file or the new one, never half of one); `remove` likewise. With
 * `durable: false` the write is atomic but not flushed to the disk: it survives the process being
 * killed (the system still has it), not a power cut.
 */
export interface AccountFiles {
  /** Every account file, one at a time (read as it is asked for, so 10,000 files are never all held as text at once). */
  readAll(): Iterable<[id: string, text: string]>
  /**
   * The same without a string of each file's whole text: a file's newest version as its UTF-8 bytes
   * when they passed the file's own check (its checksum), valid only until the next one is asked
   * for; else its text as readAll gives it (a file from before that check, or '' when it cannot be
   * read). A start reads 10,000 files and needs only each one's record.
   */
  readAllChecked?(): Iterable<[id: string, content: Buffer | string]>
  write(id: string, text: string, options?: { durable?: boolean }): Promise<void>
  remove(id: string): Promise<void>
  /** The folder (for messages and for naming this data folder's vault key). */
  readonly dir: string
  /**
   * Every account file with a stamp that changes whenever the file does (size, modification time,
   * inode), without reading it; an empty stamp for a file too young to be vouched for by one (see
   * startup-index.ts). With `read` and the index methods: the start-up index can be used.
   */
  list?(): Iterable<{ id: string; stamp: string }>
  /** Every account file's id, as `list` gives them, without their stamps (one call for the folder, none per file). */
  names?(): Iterable<string>
  /** One account file's text, or null when it cannot be read. */
  read?(id: string): string | null
  /** One account file as readAllChecked gives each ('' when it cannot be read): a start reads those the index cannot vouch for. */
  readChecked?(id: string): Buffer | string
  /** The start-up index: what the account list needs, as the files held it when it was written. */
  readIndex?(): string | null
  /** Replaces the index atomically and durably (synchronous: nothing else writes meanwhile). */
  writeIndex?(text: string): void
  /** Deletes the index (synchronous): when the journal cannot say what is written. */
  dropIndex?(): void
  /** The journal of what was written since the index (see startup-index.ts), or null when there is none. */
  readJournal?(): string | null
  /** Makes the journal anew holding `head`, flushed with its folder (synchronous), before the first write it covers. */
  beginJournal?(head: string): void
  /** Appends to the journal (synchronous, not flushed: a kill -9 loses nothing written, a power cut may). */
  appendJournal?(line: string): void
  /** Deletes the journal (synchronous), after a new index was written. */
  dropJournal?(): void
  /** One account file's stamp, as `list` gives it ('' when it cannot be read or is too young). */
  stamp?(id: string): string
  /**
   * The index written during a session: its text, in parts written one after the other (none
   * large, so no one of them holds up the event loop), written to a temporary file and flushed off
   * the main thread, then put in the index's place (atomically) only if `stillWanted()`, asked in the
   * same turn as the rename, says so. Resolves with whether it replaced the index.
   */
  replaceIndex?(parts: string[], stillWanted: () => boolean): Promise<boolean>
  /**
   * The journal of an index being written during a session (synchronous, not flushed, as the
   * journal's lines): begun beside the journal (a start never reads it), named into alongside it,
   * and put in the journal's place (an atomic rename) once its index is in place, or deleted.
   */
  beginNextJournal?(head: string): void
  appendNextJournal?(line: string): void
  promoteNextJournal?(): void
  dropNextJournal?(): void
  /** Names this boot of the machine: the same until it restarts (null: not known, and no journal is trusted). */
  bootId?(): string | null
  /** The settings part of the index as the version before this one kept it in a file of its own (read once, see startup-index.ts). */
  readSettingsIndex?(): string | null
  /** Deletes it (synchronous), before the settings file changes. */
  dropSettingsIndex?(): void
}

/** Non-secret settings (JSON on disk). Synchronous like conf / electron-store. */
export interface SettingsStore<T> {
  read(): T
  write(value: T): void
  /** Where the file lives (for messages such as "moved aside to …"). */
  readonly path: string
  /** A stamp that changes whenever the file does (null: no file, or settings kept in memory). */
  stamp?(): string | null
}

/**
 * Opens a URL the core built (a sign-in or sign-out page) in the person's own browser. Rejects,
 * with a message a person understands, when the browser could not be opened.
 */
export interface ExternalBrowser {
  open(url: string, purpose?: 'sign-in' | 'sign-out'): Promise<void>
}

export type TimerHandle = { readonly __timer: unique symbol }

/** Wall-clock time and one kind of timer, so tests can drive time by hand. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/** Where the app writes what happened. Never pass a secret to it. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void
  warn(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
}

/** The OS clipboard, where the shell can reach it (Electron); absent in the browser shell. */
export interface Clipboard {
  writeText(text: string): Promise<void>
  readText(): Promise<string>
  clear(): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as ReturnType<typeof setTimeout>),
}
