import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ancestorsOf, commandLineOf } from './caller-process.ts'

describe.skipIf(!existsSync('/proc/self/cmdline'))('a process as /proc describes it', () => {
  // Longer than the buffer the reads start with, with bytes outside ASCII.
  const long = `--data=${'é'.repeat(30_000)}`
  let child: ReturnType<typeof spawn>
  beforeAll(async () => {
    child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)', 'short', long], { stdio: 'ignore' })
    await new Promise((started) => child.once('spawn', started))
  })
  afterAll(() => {
    child.kill()
  })

  it('reads a whole command line, however long, byte for byte', () => {
    const command = commandLineOf(child.pid ?? 0)
    expect(command.slice(0, 3)).toEqual([process.execPath, '-e', 'setTimeout(() => {}, 30_000)'])
    expect(command[3]).toBe('short')
    // Each byte a character (latin1), as it is kept and shown.
    expect(command[4]).toBe(Buffer.from(long, 'utf8').toString('latin1'))
    expect(command).toHaveLength(5)
  })

  it('finds the processes above one, nearest first, and nothing for a process that is not there', () => {
    expect(ancestorsOf(child.pid ?? 0)[0]).toEqual({ pid: process.pid, command: commandLineOf(process.pid) })
    expect(commandLineOf(2 ** 30)).toEqual([])
    expect(ancestorsOf(2 ** 30)).toEqual([])
  })
})
