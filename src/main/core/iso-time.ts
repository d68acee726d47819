/** Milliseconds since the epoch as the ISO strings DTOs and settings carry; null stays null. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}
