import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireInstanceLock } from './instance-lock.ts'
import { useTempDirs } from '../../dev/temp-dirs.ts'

const tempDir = useTempDirs()

const dir = (): string => tempDir('lk-lock-')

describe('acquireInstanceLock', () => {
  it('lets one process hold a data folder and tells a second who holds it', () => {
    const folder = dir()
    const first = acquireInstanceLock(folder)
    expect(first.acquired).toBe(true)
    expect(acquireInstanceLock(folder)).toEqual({ acquired: false, heldBy: process.pid })
    if (first.acquired) first.release()
    expect(existsSync(join(folder, 'latchkey.lock'))).toBe(false)
    const again = acquireInstanceLock(folder)
    expect(again.acquired).toBe(true)
    if (again.acquired) again.release()
  })

  it('takes over a lock left behind by a process that is gone', () => {
    const folder = dir()
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    writeFileSync(join(folder, 'latchkey.lock'), gone.stdout)
    const lock = acquireInstanceLock(folder)
    expect(lock.acquired).toBe(true)
    if (lock.acquired) lock.release()
  })
})
