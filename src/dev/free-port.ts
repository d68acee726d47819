/**
 * Loopback ports that are free now, for a server or callback that must be told its port before it
 * listens. Nothing holds them afterwards, so each is used at once.
 *
 * On Linux they are picked below the system's own range (ip_local_port_range), where the system
 * never hands a port out by itself: a port it picked (port 0) and that was let go could be given at
 * once to another process's outgoing connection or server (tests run side by side), which then
 * holds it when the caller listens. Elsewhere, or when that range leaves no room, the system picks.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'

/** The lowest port picked outside the system's range. */
const LOWEST = 10_000
/** Ports tried outside the system's range before the system is asked instead. */
const TRIES = 50

/** The first port of the range the system picks from, or null when it cannot be read (not Linux). */
function systemRangeStart(): number | null {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
    return Number.isInteger(start) && start > LOWEST ? start : null
  } catch {
    return null
  }
}

const rangeStart = systemRangeStart()

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(port, '127.0.0.1', () => resolve(probe))
  })
}

/** A probe listening on a free port: a random one below the system's range, else one the system picks. */
async function listening(): Promise<Server> {
  if (rangeStart !== null) {
    for (let i = 0; i < TRIES; i += 1) {
      const port = LOWEST + Math.floor(Math.random() * (rangeStart - LOWEST))
      try {
        return await listenOn(port)
      } catch {
        // In use: another.
      }
    }
  }
  return listenOn(0)
}

function portOf(probe: Server): number {
  const address = probe.address()
  if (typeof address !== 'object' || address === null) throw new Error('a loopback probe has no port')
  return address.port
}

function close(probe: Server): Promise<void> {
  return new Promise((resolve) => probe.close(() => resolve()))
}

/** A different free port for each name: every probe stays open until all are picked. */
export async function freePorts<K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const probes: Server[] = []
  try {
    for (let i = 0; i < names.length; i += 1) probes.push(await listening())
    return Object.fromEntries(names.map((name, index) => [name, portOf(probes[index] as Server)])) as Record<K, number>
  } finally {
    await Promise.all(probes.map(close))
  }
}

/** A free port, other than `except` (a port given out already, such as a registered callback). */
export async function freePort(except?: number): Promise<number> {
  const probe = await listening()
  // While this probe holds its port, no other probe can be given the same one.
  const held = portOf(probe) === except ? await listening() : null
  try {
    return portOf(held ?? probe)
  } finally {
    await Promise.all([close(probe), ...(held ? [close(held)] : [])])
  }
}
