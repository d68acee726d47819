/** Milliseconds since the epoch as the ISO strings DTOs and settings carry; null stays null. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}

/** 14:02: HH:MM in the computer's own time zone, as the person reads it on their screen's clock. */
export function clockTime(ms: number): string {
  const date = new Date(ms)
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
}
