/**
 * Account files in a folder of the data folder (`accounts/<id>.json`, mode 0600). A write goes to
 * a temporary file that is flushed to disk, renamed over the old one, and the folder flushed, so a
 * crash at any point leaves either the old file or the new one.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rm, rmSync, writeFileSync, writeSync } from 'node:fs'
import { promisify } from 'node:util'
import { join } from 'node:path'
import type { AccountFiles } from '../core/ports.ts'
import { ACCOUNT_FILE_SUFFIX as SUFFIX, accountFileName as fileName, accountIdOf as idOf } from './account-file-name.ts'
import { stampOf } from './file-stamp.ts'

/** The start-up index: no `.json` suffix, so it is never taken for an account's file. */
const INDEX = 'index'

export function accountFiles(dir: string): AccountFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const pathOf = (id: string): string => join(dir, fileName(id))
  return {
    dir,
    *readAll() {
      for (const name of readdirSync(dir)) {
        // A write a crash interrupted before its rename: the old file is still the account's.
        if (name.startsWith('.') && name.endsWith('.tmp')) rmSync(join(dir, name), { force: true })
        const id = name.endsWith(SUFFIX) ? idOf(name.slice(0, -SUFFIX.length)) : null
        if (id === null) continue
        let text = ''
        try {
          text = readFileSync(join(dir, name), 'utf8')
        } catch {
          // Reported as damaged by whoever reads it.
        }
        yield [id, text] as [string, string]
      }
    },
    *list() {
      for (const name of readdirSync(dir)) {
        if (name.startsWith('.') && name.endsWith('.tmp')) rmSync(join(dir, name), { force: true })
        const id = name.endsWith(SUFFIX) ? idOf(name.slice(0, -SUFFIX.length)) : null
        if (id === null) continue
        yield { id, stamp: stampOf(join(dir, name)) }
      }
    },
    read(id) {
      try {
        return readFileSync(pathOf(id), 'utf8')
      } catch {
        return null
      }
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
    // Creating, writing, closing and renaming a small file are quick work in the page cache, done
    // here; only the flushes, which wait for the disk, go to the thread pool. Each trip there cost
    // more CPU than the work it carried.
    async write(id, text, options) {
      const durable = options?.durable ?? true
      const target = pathOf(id)
      const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
      const fd = openSync(temp, 'wx', 0o600)
      try {
        try {
          const bytes = Buffer.from(text, 'utf8')
          for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done)
          if (durable) await fsyncFile(fd)
        } finally {
          closeSync(fd)
        }
        renameSync(temp, target)
      } catch (error) {
        rmSync(temp, { force: true })
        throw error
      }
      if (durable) await syncDir(dir)
    },
    async remove(id) {
      await removeFile(pathOf(id), { force: true })
      await syncDir(dir)
    },
  }
}

const fsyncFile = promisify(fsync)
const removeFile = promisify(rm)

async function syncDir(dir: string): Promise<void> {
  const fd = openSync(dir, 'r')
  try {
    await fsyncFile(fd)
  } finally {
    closeSync(fd)
  }
}
