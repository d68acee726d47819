/**
 * Account files in a folder of the data folder (`accounts/<id>.json`, mode 0600), in the layout of
 * account-file-format.ts: two slots, each a whole version. A write fills the slot without the
 * newest version in place (no new file, no rename: creating and renaming a file cost far more
 * kernel time than the write itself) and, when durable, flushes the file. A new file (a new
 * account, a file from before slots, a text that outgrew its slot) is written to a temporary file
 * that is flushed, renamed over the old one, and the folder flushed. A kill at any point leaves
 * every version whose write had returned, and never a half one as the newest.
 *
 * A power cut keeps every flushed version and may cut short a write that was not flushed, which
 * the other slot then stands in for; two unflushed writes of one account within the kernel's
 * writeback delay (about 30 s) may both be cut short, and the file is then reported damaged. Only
 * renewals that leave the old token valid are written unflushed (see AccountFiles).
 *
 * A few files stay open for a moment after they were read or written (see OpenFiles), so that the
 * write a refresh ends with goes through the descriptor its read opened.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, constants, fdatasync, fstatSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rm, rmSync, writeFileSync, writeSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { promisify } from 'node:util'
import { dirname, join, sep } from 'node:path'
import { crc32 } from 'node:zlib'
import type { AccountFiles } from '../core/ports.ts'
import { newestVersionText, capacityFor, decodeAccountFile, type Decoded, newFileBytes, newestSlot, SLOT_HEADER_BYTES, slotAround, slotOffset, slotText } from './account-file-format.ts'
import { ACCOUNT_FILE_SUFFIX as SUFFIX, accountFileName as fileName, accountIdOf as idOf } from './account-file-name.ts'
import { bootId } from './boot-id.ts'
import { stampOf } from './file-stamp.ts'

/**
 * The start-up index, the journal of what was written since it, the journal of an index being
 * written during a session, and the settings part an earlier version kept on its own: no `.json`
 * suffix, so never taken for an account's file.
 */
const INDEX = 'index'
const JOURNAL = 'journal'
const NEXT_JOURNAL = 'journal-next'
const SETTINGS_INDEX = 'settings-index'

export function accountFiles(dir: string): AccountFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  // The folder's path with its separator: a name is added to it, not joined (10,000 joins at
  // start-up, and one per refresh).
  const inDir = join(dir, sep)
  const pathOf = (id: string): string => inDir + fileName(id)
  const open = new OpenFiles(pathOf)
  const journal = new JournalFile(join(dir, JOURNAL))
  const nextJournal = new JournalFile(join(dir, NEXT_JOURNAL))
  return {
    dir,
    *readAll() {
      // Reported as damaged by whoever reads it when it cannot be read ('').
      for (const [id, path] of accountPaths(inDir)) yield [id, readText(path) ?? ''] as [string, string]
    },
    *readAllChecked() {
      for (const [id, path] of accountPaths(inDir)) yield [id, readChecked(path)] as [string, Buffer | string]
    },
    readChecked: (id) => readChecked(pathOf(id)),
    *list() {
      for (const [id, path] of accountPaths(inDir)) yield { id, stamp: stampOf(path) }
    },
    *names() {
      for (const [id] of accountPaths(inDir)) yield id
    },
    read(id) {
      const file = open.get(id)
      // Not openable for writing (changed by hand?): read as it is, if it can be.
      if (!file) return readText(pathOf(id))
      try {
        return readNewest(file)
      } catch {
        open.close(id)
        return null
      }
    },
    readIndex: () => readSmallFile(join(dir, INDEX)),
    writeIndex: (text) => replaceSmallFile(dir, INDEX, text),
    dropIndex() {
      rmSync(join(dir, INDEX), { force: true })
    },
    readJournal: () => readSmallFile(join(dir, JOURNAL)),
    beginJournal: (head) => {
      journal.begin(head)
    },
    appendJournal: (line) => {
      journal.append(line)
    },
    dropJournal: () => {
      journal.drop()
    },
    stamp: (id) => stampOf(pathOf(id)),
    replaceIndex: (parts, stillWanted) => replaceFileLater(dir, INDEX, parts, stillWanted),
    beginNextJournal: (head) => {
      // Not flushed: renamed over the journal, it leaves the journal or itself there after a power
      // cut, and a journal begun in another boot vouches for nothing.
      nextJournal.begin(head, { flush: false })
    },
    appendNextJournal: (line) => {
      nextJournal.append(line)
    },
    promoteNextJournal: () => {
      nextJournal.renameOver(journal)
    },
    dropNextJournal: () => {
      nextJournal.drop()
    },
    bootId,
    readSettingsIndex: () => readSmallFile(join(dir, SETTINGS_INDEX)),
    dropSettingsIndex() {
      rmSync(join(dir, SETTINGS_INDEX), { force: true })
    },
    async write(id, text, options) {
      const durable = options?.durable ?? true
      const length = Buffer.byteLength(text, 'utf8')
      const file = open.get(id)
      const known = file && slotsOf(file)
      if (!file || !known || SLOT_HEADER_BYTES + length > known.capacity) {
        // The open file is the one being replaced: it is let go first.
        open.close(id)
        const bytes = Buffer.from(text, 'utf8')
        const capacity = capacityFor(bytes.length)
        await replaceFile(dir, pathOf(id), newFileBytes(bytes, capacity, crc32))
        return
      }
      file.busy++
      try {
        const slot = 1 - known.slot
        const seq = known.seq + 1
        // Whatever the file holds is read again at the next write unless this one finishes.
        file.slots = null
        writeAll(file.fd, slotInRoom(seq, text, length), slotOffset(slot, known.capacity))
        file.slots = { slot, seq, capacity: known.capacity }
        if (durable) await fdatasyncFile(file.fd)
      } catch (error) {
        open.close(id)
        throw error
      } finally {
        open.release(file)
      }
    },
    async remove(id) {
      open.close(id)
      await removeFile(pathOf(id), { force: true })
      await syncDir(dir)
    },
  }
}

function readSmallFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

/** `name` in the folder replaced atomically and durably (synchronous): a temporary file flushed, renamed, the folder flushed. */
function replaceSmallFile(dir: string, name: string, text: string): void {
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(temp, 'wx', 0o600)
  try {
    writeFileSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, join(dir, name))
  syncDirNow(dir)
}

/**
 * The same without holding up the event loop: its text written part by part and flushed on the
 * thread pool, then renamed (in the turn that asked `stillWanted`) unless it is no longer wanted.
 * Resolves with whether it was.
 */
async function replaceFileLater(dir: string, name: string, parts: string[], stillWanted: () => boolean): Promise<boolean> {
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
  let renamed = false
  try {
    const file = await open(temp, 'wx', 0o600)
    try {
      for (const part of parts) await file.write(part)
      await file.sync()
    } finally {
      await file.close()
    }
    if (stillWanted()) {
      renameSync(temp, join(dir, name))
      renamed = true
    }
  } finally {
    if (!renamed) rmSync(temp, { force: true })
  }
  if (renamed) await syncDir(dir)
  return renamed
}

function syncDirNow(dir: string): void {
  const dirFd = openSync(dir, 'r')
  try {
    fsyncSync(dirFd)
  } finally {
    closeSync(dirFd)
  }
}

/**
 * The journal (see startup-index.ts), kept open for appending: a line costs one write, not flushed.
 * Begun anew with its first line flushed, and its folder, before the first write it covers.
 */
class JournalFile {
  readonly #path: string
  #fd: number | null = null

  constructor(path: string) {
    this.#path = path
  }

  begin(head: string, options: { flush: boolean } = { flush: true }): void {
    this.#close()
    const fd = openSync(this.#path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND, 0o600)
    try {
      writeSync(fd, head)
      if (options.flush) {
        fsyncSync(fd)
        syncDirNow(dirname(this.#path))
      }
    } catch (error) {
      closeQuietly(fd)
      throw error
    }
    this.#fd = fd
  }

  append(line: string): void {
    // A journal this process did not begin (the one a crashed run left) is added to.
    this.#fd ??= openSync(this.#path, 'a', 0o600)
    writeSync(this.#fd, line)
  }

  drop(): void {
    this.#close()
    rmSync(this.#path, { force: true })
  }

  /** Takes `other`'s place (an atomic rename): lines appended to `other` from now on go to this file, under its name. */
  renameOver(other: JournalFile): void {
    renameSync(this.#path, other.#path)
    other.#close()
    other.#fd = this.#fd
    this.#fd = null
  }

  #close(): void {
    if (this.#fd !== null) closeQuietly(this.#fd)
    this.#fd = null
  }
}

/** Each account's id and file path in the folder (`inDir` ends with a separator); temporary files a crash left are removed on the way. */
function* accountPaths(inDir: string): Generator<[string, string]> {
  for (const name of readdirSync(inDir)) {
    // A write a crash interrupted before its rename: the old file is still the account's.
    if (name.startsWith('.') && name.endsWith('.tmp')) rmSync(inDir + name, { force: true })
    const id = name.endsWith(SUFFIX) ? idOf(name.slice(0, -SUFFIX.length)) : null
    if (id !== null) yield [id, inDir + name]
  }
}

/**
 * Read room shared by every read of an account file (whole, or the newest slot of one held open):
 * a start reads 10,000 of them one after the other, and a read into it takes one system call fewer
 * than readFileSync (no fstat) and no new buffer per file. A file that does not fit is read whole.
 */
const readRoom = Buffer.allocUnsafe(64 * 1024)

/**
 * Write room shared by every in-place write (written synchronously, so no two use it at once): a
 * refresh's slot is laid out in it without a buffer of its own or a copy of the text's bytes.
 */
const writeRoom = Buffer.allocUnsafe(64 * 1024)

/** One slot (as slotBytes lays it out) holding `text` of `length` UTF-8 bytes, in the write room when it fits: used before the next write. */
function slotInRoom(seq: number, text: string, length: number): Buffer {
  const size = SLOT_HEADER_BYTES + length
  const bytes = size <= writeRoom.length ? writeRoom.subarray(0, size) : Buffer.allocUnsafe(size)
  bytes.write(text, SLOT_HEADER_BYTES, 'utf8')
  return slotAround(seq, bytes, crc32)
}

/** The newest whole version an account file holds ('' when none is whole), or null when it cannot be read. */
function readText(path: string): string | null {
  // The text is copied out of the room (a string) before the next read fills it again.
  return withWholeFile(path, (bytes) => newestVersionText(bytes, crc32))
}

/**
 * The bytes of the newest whole version an account file holds, in the shared read room (used
 * before the next read); the text of a file from before slots; '' when none is whole or the file
 * cannot be read.
 */
function readChecked(path: string): Buffer | string {
  const checked = withWholeFile(path, (bytes) => {
    const found = newestSlot(bytes, crc32)
    if (found === 'legacy') return bytes.toString('utf8')
    return found ? bytes.subarray(found.start, found.end) : ''
  })
  return checked ?? ''
}

/** What `use` makes of the file's whole bytes (see wholeFile), or null when the file cannot be opened or read. */
function withWholeFile<T>(path: string, use: (bytes: Buffer) => T): T | null {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return null
  }
  try {
    return use(wholeFile(fd))
  } catch {
    return null
  } finally {
    closeQuietly(fd)
  }
}

/** A whole new account file holding `text` (for tools that make data folders, such as the bench's seed). */
export function accountFileBytes(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  return newFileBytes(bytes, capacityFor(bytes.length), crc32)
}

/** Where an account file's newest version is, as this process last wrote or read it. */
interface SlotState {
  slot: number
  seq: number
  capacity: number
}

/** An account file kept open between the read a refresh starts with and the write it ends with. */
interface OpenFile {
  id: string
  fd: number
  /** Where its newest version is (null: not known, the file is read whole to find out). */
  slots: SlotState | null
  /** Writes using the descriptor now (a flush under way): it is closed only after them. */
  busy: number
  closing: boolean
  usedAt: number
}

/** How many account files stay open at most, and for how long after their last use. */
export const OPEN_FILES_MAX = 32
export const OPEN_FILE_IDLE_MS = 2_000

/**
 * The account files open now, the most recently used last. A refresh reads the account's file
 * when it starts and writes it when the server has answered: keeping the file open in between
 * saves opening it twice and reading it again to find its slots (a third of the system calls of
 * a refresh). Files are closed when more than OPEN_FILES_MAX are open, OPEN_FILE_IDLE_MS after
 * their last use (so a file replaced by something else is not written through an old descriptor
 * for longer than that), and before this process replaces or removes them.
 */
class OpenFiles {
  readonly #pathOf: (id: string) => string
  readonly #files = new Map<string, OpenFile>()
  #sweep: NodeJS.Timeout | null = null

  constructor(pathOf: (id: string) => string) {
    this.#pathOf = pathOf
  }

  /** The account's file opened for reading and writing, or null when it cannot be (missing, not ours). */
  get(id: string): OpenFile | null {
    const known = this.#files.get(id)
    if (known) {
      this.#files.delete(id)
      this.#files.set(id, known)
      known.usedAt = Date.now()
      return known
    }
    let fd: number
    try {
      fd = openSync(this.#pathOf(id), 'r+')
    } catch {
      return null
    }
    const file: OpenFile = { id, fd, slots: null, busy: 0, closing: false, usedAt: Date.now() }
    this.#files.set(id, file)
    if (this.#files.size > OPEN_FILES_MAX) {
      const oldest = this.#files.keys().next().value
      if (oldest !== undefined) this.close(oldest)
    }
    if (this.#sweep === null) this.#sweep = setTimeout(this.#closeIdle, OPEN_FILE_IDLE_MS).unref()
    return file
  }

  /** Forgets the account's open file; its descriptor is closed now, or when the write using it ends. */
  close(id: string): void {
    const file = this.#files.get(id)
    if (!file) return
    this.#files.delete(id)
    file.closing = true
    if (file.busy === 0) closeQuietly(file.fd)
  }

  /** A write is done with the descriptor. */
  release(file: OpenFile): void {
    file.busy--
    if (file.busy === 0 && file.closing) closeQuietly(file.fd)
  }

  readonly #closeIdle = (): void => {
    this.#sweep = null
    const before = Date.now() - OPEN_FILE_IDLE_MS
    for (const file of [...this.#files.values()]) if (file.usedAt <= before) this.close(file.id)
    if (this.#files.size > 0) this.#sweep = setTimeout(this.#closeIdle, OPEN_FILE_IDLE_MS).unref()
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Nothing was written through it since its last write returned.
  }
}

/**
 * The newest whole version in an open file: only its newest slot when this process knows where
 * that is (and it is still whole and the same version), else the whole file.
 */
function readNewest(file: OpenFile): string {
  const known = file.slots
  if (known && known.capacity <= readRoom.length) {
    const read = readSync(file.fd, readRoom, 0, known.capacity, slotOffset(known.slot, known.capacity))
    const text = slotText(readRoom.subarray(0, read), known.slot, known.seq, known.capacity, crc32)
    if (text !== null) return text
  }
  return readWhole(file)?.text ?? ''
}

/** The whole file's bytes (in the shared read room when they fit: used before the next read). */
function wholeFile(fd: number): Buffer {
  const read = readSync(fd, readRoom, 0, readRoom.length, 0)
  if (read < readRoom.length) return readRoom.subarray(0, read)
  const size = fstatSync(fd).size
  const bytes = Buffer.allocUnsafe(size)
  let done = 0
  while (done < size) {
    const more = readSync(fd, bytes, done, size - done, done)
    if (more === 0) break
    done += more
  }
  return bytes.subarray(0, done)
}

/** Where the open file's slots are (null: none whole, or it cannot be read now: the file is made anew). */
function slotsOf(file: OpenFile): SlotState | null {
  if (file.slots) return file.slots
  try {
    readWhole(file)
  } catch {
    return null
  }
  return file.slots
}

/** The open file read whole: its newest whole version, and where its slots are (none: from before slots, or damaged). */
function readWhole(file: OpenFile): Decoded {
  const found = decodeAccountFile(wholeFile(file.fd), crc32)
  file.slots = found && !found.legacy ? { slot: found.slot, seq: found.seq, capacity: found.capacity } : null
  return found
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done)
}

/** A whole new file in place of the old one: written to a temporary file, flushed, renamed, the folder flushed. */
async function replaceFile(dir: string, target: string, bytes: Buffer): Promise<void> {
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(temp, 'wx', 0o600)
  try {
    try {
      writeAll(fd, bytes, 0)
      await fsyncFile(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, target)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
  await syncDir(dir)
}

const fsyncFile = promisify(fsync)
const fdatasyncFile = promisify(fdatasync)
const removeFile = promisify(rm)

async function syncDir(dir: string): Promise<void> {
  const fd = openSync(dir, 'r')
  try {
    await fsyncFile(fd)
  } finally {
    closeSync(fd)
  }
}
