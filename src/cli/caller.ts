/**
 * Who called `latchkey`: its parent process and that process's command line, and the processes
 * above it (the script that ran the subshell, the `make` that ran the script), read from /proc
 * where there is one. `$(latchkey token)` in a script is run by a `bash`: its ancestors say which.
 */
import { fs } from './builtins.ts'

export interface Ancestor {
  pid: number
  command: string[]
}

export interface CallerInfo {
  pid: number | null
  command: string[]
  /** The caller's parent, its parent, and so on (nearest first; at most MAX_ANCESTORS, not init). */
  ancestors?: Ancestor[]
}

/** Enough to reach the script from a subshell of a pipeline inside a `make` recipe; a terminal or init above is not useful. */
export const MAX_ANCESTORS = 4

export function parentCaller(pid: number = process.ppid): CallerInfo {
  return { pid, command: commandLineOf(pid), ancestors: ancestorsOf(pid) }
}

/** The processes above `pid`, nearest first. */
export function ancestorsOf(pid: number, limit = MAX_ANCESTORS): Ancestor[] {
  const found: Ancestor[] = []
  for (let next = parentOf(pid); next !== null && found.length < limit; next = parentOf(next)) {
    found.push({ pid: next, command: commandLineOf(next) })
  }
  return found
}

function commandLineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${String(pid)}/cmdline`, 'latin1').split('\0').filter((part) => part !== '')
  } catch {
    return []
  }
}

/** The parent's pid from /proc/PID/stat (after the command name, which may hold spaces and parentheses); null at init or without /proc. */
function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${String(pid)}/stat`, 'latin1')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null
  } catch {
    return null
  }
}
