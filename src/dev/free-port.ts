/**
 * Loopback ports that are free now, picked by the system (port 0), for a server or callback that
 * must be told its port before it listens. Nothing holds them afterwards, so each is used at once.
 */
import { createServer, type Server } from 'node:net'

function listening(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => resolve(probe))
  })
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
  // While this probe holds its port, the system cannot hand out the same one again.
  const held = portOf(probe) === except ? await listening() : null
  try {
    return portOf(held ?? probe)
  } finally {
    await Promise.all([close(probe), ...(held ? [close(held)] : [])])
  }
}
