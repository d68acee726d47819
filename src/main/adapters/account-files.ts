/**
 * Account files in a folder of the data folder (`accounts/<id>.json`, mode 0600). A write goes to
 * a temporary file that is flushed to disk, renamed over the old one, and the folder flushed, so a
 * crash at any point leaves either the old file or the new one.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { AccountFiles } from '../core/ports.ts'

const SUFFIX = '.json'
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/
const ENCODED = 'x-'

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
    async write(id, text) {
      const target = pathOf(id)
      const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
      const file = await open(temp, 'wx', 0o600)
      try {
        await file.writeFile(text, 'utf8')
        await file.sync()
      } finally {
        await file.close()
      }
      try {
        await rename(temp, target)
      } catch (error) {
        await rm(temp, { force: true })
        throw error
      }
      await syncDir(dir)
    },
    async remove(id) {
      await rm(pathOf(id), { force: true })
      await syncDir(dir)
    },
  }
}

function fileName(id: string): string {
  return (SAFE_ID.test(id) && !id.startsWith(ENCODED) ? id : ENCODED + Buffer.from(id, 'utf8').toString('base64url')) + SUFFIX
}

function idOf(base: string): string | null {
  if (base.startsWith(ENCODED)) return Buffer.from(base.slice(ENCODED.length), 'base64url').toString('utf8') || null
  return SAFE_ID.test(base) ? base : null
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
