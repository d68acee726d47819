/**
 * A process's command line and the processes above it, read from /proc where there is one (else
 * empty): who called `latchkey`. The running Latchkey reads them for the process id a request names
 * (the command's parent), and the command reads them itself when it answers without Latchkey.
 * `$(latchkey token)` in a script is run by a `bash`: its ancestors say which script.
 * Node built-ins only (the `latchkey` command's bundle imports this too).
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { MAX_ANCESTORS, type Ancestor } from '../core/cli/audit.ts'

export { MAX_ANCESTORS }

/** The process's command line (its arguments as it was started), or [] when it cannot be read. */
export function commandLineOf(pid: number): string[] {
  try {
    return procText(`/proc/${String(pid)}/cmdline`).split('\0').filter((part) => part !== '')
  } catch {
    return []
  }
}

/** The processes above `pid`, nearest first: at most MAX_ANCESTORS, never init. */
export function ancestorsOf(pid: number, limit = MAX_ANCESTORS): Ancestor[] {
  const found: Ancestor[] = []
  for (let next = parentOf(pid); next !== null && found.length < limit; next = parentOf(next)) {
    found.push({ pid: next, command: commandLineOf(next) })
  }
  return found
}

/** The parent's pid from /proc/PID/stat (after the command name, which may hold spaces and parentheses); null at init or without /proc. */
function parentOf(pid: number): number | null {
  try {
    const stat = procText(`/proc/${String(pid)}/stat`)
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null
  } catch {
    return null
  }
}

let room = Buffer.allocUnsafe(16 * 1024)

/**
 * A /proc file's whole text, byte for byte (latin1): read into one buffer kept for the next call,
 * a third of readFileSync's cost (no stat, no buffers of its own). Throws when it cannot be read.
 */
function procText(path: string): string {
  const fd = openSync(path, 'r')
  try {
    let size = 0
    for (;;) {
      if (size === room.length) {
        const larger = Buffer.allocUnsafe(room.length * 2)
        room.copy(larger, 0, 0, size)
        room = larger
      }
      const read = readSync(fd, room, size, room.length - size, null)
      if (read === 0) return room.toString('latin1', 0, size)
      size += read
    }
  } finally {
    closeSync(fd)
  }
}
