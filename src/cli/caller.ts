/**
 * Who called `latchkey`, as a request tells the running Latchkey: by default only the command's
 * parent's process id (Latchkey reads that process's command line and the processes above it
 * itself, see request.ts); `latchkey exec` describes the program it will start, which does not run
 * yet, and the processes above it.
 */
import type { Ancestor } from '../main/core/cli/audit.ts'

export interface CallerInfo {
  pid: number | null
  /** Absent: Latchkey reads the command line of `pid` (and the processes above it) itself. */
  command?: string[]
  /** The caller's parent, its parent, and so on (nearest first; at most MAX_ANCESTORS, not init). */
  ancestors?: Ancestor[]
}

/** The command's parent, to be read by whoever answers. */
export function parentCaller(): CallerInfo {
  return { pid: process.ppid }
}

/** `latchkey exec`'s caller: the program about to get the token, run by this command, run by its parent (and above). */
export async function execCaller(command: string[]): Promise<CallerInfo> {
  // Not on the path of `latchkey token`: loaded when needed.
  const { ancestorsOf, commandLineOf, MAX_ANCESTORS } = await import('../main/cli-server/caller-process.ts')
  const parent = process.ppid
  return { pid: process.pid, command, ancestors: [{ pid: parent, command: commandLineOf(parent) }, ...ancestorsOf(parent, MAX_ANCESTORS - 1)] }
}
