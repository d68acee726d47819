import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportedCaller } from './request.ts'

describe.skipIf(!existsSync('/proc/self/cmdline'))('the caller a request names', () => {
  let child: ReturnType<typeof spawn>
  beforeAll(async () => {
    child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)', 'as-named'], { stdio: 'ignore' })
    await new Promise((started) => child.once('spawn', started))
  })
  afterAll(() => {
    child.kill()
  })

  it('a process id alone: its command line and the processes above it, read here', () => {
    const caller = reportedCaller({ pid: child.pid ?? 0 })
    expect(caller.pid).toBe(child.pid)
    expect(caller.command).toEqual([process.execPath, '-e', 'setTimeout(() => {}, 30_000)', 'as-named'])
    // Above it: this test's process first, with its own command line.
    expect(caller.ancestors?.[0]).toEqual({ pid: process.pid, command: expect.arrayContaining([process.argv[1]]) as unknown })
    expect(caller.ancestors?.length).toBeLessThanOrEqual(4)
  })

  it('a caller that describes itself (latchkey exec, older commands) is kept as described', () => {
    const described = { pid: child.pid ?? 0, command: ['curl', '-s'], ancestors: [{ pid: 4242, command: ['bash', 'deploy.sh'] }] }
    expect(reportedCaller(described)).toEqual(described)
  })

  it('no usable process id: nothing read, an empty command line', () => {
    expect(reportedCaller({ pid: null })).toEqual({ pid: null, command: [] })
    expect(reportedCaller({ pid: -3 })).toEqual({ pid: null, command: [] })
    expect(reportedCaller({ pid: 2 ** 30 })).toEqual({ pid: 2 ** 30, command: [] })
  })
})
