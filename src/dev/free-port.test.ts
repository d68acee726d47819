import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { freePort, freePorts } from './free-port.ts'

/** The first port of the range the system hands out by itself (Linux), or null elsewhere. */
function systemRangeStart(): number | null {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
  } catch {
    return null
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

describe('free loopback ports', () => {
  it('gives a port a server can listen on at once, outside the range the system hands out by itself (where another process could be given it meanwhile)', async () => {
    const start = systemRangeStart()
    for (let i = 0; i < 20; i += 1) {
      const port = await freePort()
      expect(await canListen(port)).toBe(true)
      if (start !== null && start > 10_000) expect(port).toBeLessThan(start)
    }
  })

  it('never gives a port that is in use, nor the one it is told to avoid', async () => {
    const port = await freePort()
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve))
    const avoided = await freePort()
    try {
      for (let i = 0; i < 20; i += 1) {
        const given = await freePort(avoided)
        expect(given).not.toBe(port)
        expect(given).not.toBe(avoided)
      }
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  })

  it('gives a different port for each name', async () => {
    const ports = await freePorts(['a', 'b', 'c', 'd', 'e', 'f', 'g'])
    expect(new Set(Object.values(ports)).size).toBe(7)
  })
})
