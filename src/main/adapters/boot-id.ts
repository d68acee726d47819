import { readFileSync } from 'node:fs'
import { uptime } from 'node:os'

let known: string | null | undefined

/**
 * Names this boot of the machine: the same in every process until the machine restarts (see the
 * journal in startup-index.ts). Linux gives each boot a random id; elsewhere, the minute the
 * machine started, from the time now and its uptime (a clock set since can make it differ, which
 * only has the files read).
 */
export function bootId(): string | null {
  if (known !== undefined) return known
  try {
    known = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null
  } catch {
    const seconds = uptime()
    known = seconds > 0 ? `started-${String(Math.round((Date.now() - seconds * 1000) / 60_000))}` : null
  }
  return known
}
