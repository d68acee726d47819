let lastMs = Number.NaN
let lastIso = ''

/**
 * Milliseconds since the epoch as the ISO strings DTOs and settings carry; null stays null. The
 * last one is kept: a refresh writes the new expiry, then its event and its answer show it again.
 */
export function isoOrNull(ms: number | null): string | null {
  if (ms === null) return null
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString()
    lastMs = ms
  }
  return lastIso
}

/** 14:02: HH:MM in the computer's own time zone, as the person reads it on their screen's clock. */
export function clockTime(ms: number): string {
  const date = new Date(ms)
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
}

/** "2030-01-01 14:02 UTC": a date and time to the minute, the same for everyone who reads it. */
export function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
