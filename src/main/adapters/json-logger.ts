/**
 * JSON-lines log. The core never passes secrets; as a safety net, anything that looks like a JWT
 * or a token/code query parameter is masked before it is written.
 *
 * With `gather` (the app's own log), info lines are gathered and written together FLUSH_AFTER_MS
 * after the first of them (at once when FLUSH_AT_BYTES have gathered), and when the process exits:
 * every background refresh logs one, and appending each by itself (open, write, close) cost more
 * CPU than the rest of the refresh's bookkeeping. Warnings and errors are written at once, with
 * the info lines before them. A process killed outright (kill -9, a crash of the runtime) loses
 * the info lines of its last FLUSH_AFTER_MS at most: log lines only, never anything the app keeps
 * (sessions and records are written by their own stores); lines that fail to be written later
 * (disk full, folder gone) are dropped rather than stopping the app. Without `gather` (a command
 * that logs one line and is read back at once) every line is written as it comes.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Logger } from '../core/ports.ts'

const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g
const SECRET_PARAM = /([?&](?:code|token|access_token|refresh_token|id_token|state)=)[^&\s"]+/gi

/** How long an info line may wait for the lines after it before it is written. */
export const FLUSH_AFTER_MS = 100
/** Gathered lines are written at once when they reach this size. */
export const FLUSH_AT_BYTES = 16 * 1024

export function redact(text: string): string {
  // A JWT starts "eyJ" and a query parameter has "=": most lines have neither, and are not scanned twice.
  const jwts = text.includes('eyJ') ? text.replace(JWT, '[redacted-jwt]') : text
  return jwts.includes('=') ? jwts.replace(SECRET_PARAM, '$1[redacted]') : jwts
}

/** A logger whose gathered lines can be written now (tests; a shell about to hand its log over). */
export interface FileLogger extends Logger {
  flush(): void
}

/** Loggers holding lines not written yet: written when the process exits. */
const holding = new Set<() => void>()
let exitHooked = false

function writeAtExit(flush: () => void): void {
  holding.add(flush)
  if (exitHooked) return
  exitHooked = true
  process.once('exit', () => {
    for (const each of [...holding]) each()
  })
}

export function jsonLogger(options: { file?: string; echo?: (line: string) => void; now?: () => Date; gather?: boolean }): FileLogger {
  const file = options.file
  if (file) mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  let pending = ''
  let timer: NodeJS.Timeout | null = null
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    holding.delete(later)
    if (pending === '' || !file) return
    const text = pending
    pending = ''
    appendFileSync(file, text, { mode: 0o600 })
  }
  /** The timer's and the exit's flush: nobody to report a failure to. */
  const later = (): void => {
    try {
      flush()
    } catch {
      // Dropped (see the top of this file).
    }
  }
  const write = (level: string, event: string, fields?: Record<string, unknown>): void => {
    const line = redact(JSON.stringify({ time: (options.now?.() ?? new Date()).toISOString(), level, event, ...fields }))
    options.echo?.(line)
    if (!file) return
    pending += line + '\n'
    if (options.gather !== true || level !== 'info' || pending.length >= FLUSH_AT_BYTES) {
      flush()
      return
    }
    if (timer === null) {
      timer = setTimeout(later, FLUSH_AFTER_MS).unref()
      writeAtExit(later)
    }
  }
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    flush,
  }
}
