/** Who called `latchkey`: its parent process and that process's command line (from /proc where there is one). */
import { readFileSync } from 'node:fs'

export interface CallerInfo {
  pid: number | null
  command: string[]
}

export function parentCaller(pid: number = process.ppid): CallerInfo {
  return { pid, command: commandLineOf(pid) }
}

function commandLineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'latin1').split('\0').filter((part) => part !== '')
  } catch {
    return []
  }
}
