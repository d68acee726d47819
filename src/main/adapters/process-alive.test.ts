import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { isProcessAlive } from './process-alive.ts'

describe('isProcessAlive', () => {
  it('is true for a running process, also one this process may not signal (pid 1), and false for one that has ended', () => {
    expect(isProcessAlive(process.pid)).toBe(true)
    expect(isProcessAlive(1)).toBe(true)
    const ended = spawnSync(process.execPath, ['-e', '']).pid
    expect(isProcessAlive(ended)).toBe(false)
  })
})
