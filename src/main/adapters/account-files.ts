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
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fdatasync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rm, rmSync, writeFileSync, writeSync } from 'node:fs'
import { promisify } from 'node:util'
import { join, sep } from 'node:path'
import { crc32 } from 'node:zlib'
import type { AccountFiles } from '../core/ports.ts'
import { newestVersionText, capacityFor, decodeAccountFile, newFileBytes, SLOT_HEADER_BYTES, slotBytes, slotOffset } from './account-file-format.ts'
import { ACCOUNT_FILE_SUFFIX as SUFFIX, accountFileName as fileName, accountIdOf as idOf } from './account-file-name.ts'
import { stampOf } from './file-stamp.ts'

/** The start-up index: no `.json` suffix, so it is never taken for an account's file. */
const INDEX = 'index'

export function accountFiles(dir: string): AccountFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const slots = new Map<string, SlotState>()
  const pathOf = (id: string): string => join(dir, fileName(id))
  // The folder's path with its separator: a name is added to it, not joined (10,000 joins at start-up).
  const inDir = join(dir, sep)
  return {
    dir,
    *readAll() {
      for (const name of readdirSync(dir)) {
        // A write a crash interrupted before its rename: the old file is still the account's.
        if (name.startsWith('.') && name.endsWith('.tmp')) rmSync(inDir + name, { force: true })
        const id = name.endsWith(SUFFIX) ? idOf(name.slice(0, -SUFFIX.length)) : null
        if (id === null) continue
        // Reported as damaged by whoever reads it when it cannot be read ('').
        yield [id, readText(inDir + name) ?? ''] as [string, string]
      }
    },
    *list() {
      for (const name of readdirSync(dir)) {
        if (name.startsWith('.') && name.endsWith('.tmp')) rmSync(inDir + name, { force: true })
        const id = name.endsWith(SUFFIX) ? idOf(name.slice(0, -SUFFIX.length)) : null
        if (id === null) continue
        yield { id, stamp: stampOf(inDir + name) }
      }
    },
    read(id) {
      return readText(pathOf(id))
    },
    readIndex() {
      try {
        return readFileSync(join(dir, INDEX), 'utf8')
      } catch {
        return null
      }
    },
    writeIndex(text) {
      const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
      const fd = openSync(temp, 'wx', 0o600)
      try {
        writeFileSync(fd, text)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      renameSync(temp, join(dir, INDEX))
      const dirFd = openSync(dir, 'r')
      try {
        fsyncSync(dirFd)
      } finally {
        closeSync(dirFd)
      }
    },
    dropIndex() {
      rmSync(join(dir, INDEX), { force: true })
    },
    async write(id, text, options) {
      const durable = options?.durable ?? true
      const target = pathOf(id)
      const bytes = Buffer.from(text, 'utf8')
      const known = slots.get(id) ?? slotsOnDisk(target)
      if (!known || SLOT_HEADER_BYTES + bytes.length > known.capacity) {
        slots.delete(id)
        const capacity = capacityFor(bytes.length)
        await replaceFile(dir, target, newFileBytes(bytes, capacity, crc32))
        slots.set(id, { slot: 0, seq: 1, capacity })
        return
      }
      let fd: number
      try {
        fd = openSync(target, 'r+')
      } catch (error) {
        slots.delete(id)
        throw error
      }
      try {
        const slot = 1 - known.slot
        const seq = known.seq + 1
        writeAll(fd, slotBytes(seq, bytes, crc32), slotOffset(slot, known.capacity))
        slots.set(id, { slot, seq, capacity: known.capacity })
        if (durable) await fdatasyncFile(fd)
      } catch (error) {
        // Whatever the file holds now is read again at the next write.
        slots.delete(id)
        throw error
      } finally {
        closeSync(fd)
      }
    },
    async remove(id) {
      slots.delete(id)
      await removeFile(pathOf(id), { force: true })
      await syncDir(dir)
    },
  }
}

/**
 * Read room shared by every read of a whole account file: a start reads 10,000 of them one after
 * the other, and a read into it takes one system call fewer than readFileSync (no fstat) and no new
 * buffer per file. A file that does not fit is read whole as before.
 */
const readRoom = Buffer.allocUnsafe(64 * 1024)

/** The newest whole version an account file holds ('' when none is whole), or null when it cannot be read. */
function readText(path: string): string | null {
  try {
    const fd = openSync(path, 'r')
    let length: number
    try {
      length = readSync(fd, readRoom, 0, readRoom.length, 0)
    } finally {
      closeSync(fd)
    }
    // The text is copied out of the room (a string) before the next read fills it again.
    return newestVersionText(length < readRoom.length ? readRoom.subarray(0, length) : readFileSync(path), crc32)
  } catch {
    return null
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

/** The account file's slots as the disk has them; null when it has none whole (missing, from before slots, damaged). */
function slotsOnDisk(path: string): SlotState | null {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch {
    return null
  }
  const found = decodeAccountFile(bytes, crc32)
  return found && !found.legacy ? { slot: found.slot, seq: found.seq, capacity: found.capacity } : null
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
