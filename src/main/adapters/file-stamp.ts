import { statSync } from 'node:fs'

/**
 * How young a file may be and still be given a stamp: a change made after the stamp was taken must
 * land in a later time than the one the stamp holds. A time with a fraction of a second comes from
 * a file system that keeps fine times, which move at least once per kernel tick (1 to 10 ms); a
 * time in whole seconds may come from one that keeps them to the second or two (FAT, HFS+, ext3).
 */
const FINE_TIMES_MS = 20
const COARSE_TIMES_MS = 3_000

/**
 * Size, modification time (sub-millisecond) and inode of a file: changes whenever the file does
 * (an atomic replace brings a new inode, a write in place a new time). Empty when the file cannot
 * be read, or is too young for its stamp to vouch for it (see FINE_TIMES_MS); see startup-index.ts.
 */
export function stampOf(path: string): string {
  // Taken before the file's time is read: a file changed meanwhile counts as younger, not older.
  const now = Date.now()
  try {
    const stat = statSync(path)
    if (stat.mtimeMs > now - (stat.mtimeMs % 1000 === 0 ? COARSE_TIMES_MS : FINE_TIMES_MS)) return ''
    return `${String(stat.size)}:${String(stat.mtimeMs)}:${String(stat.ino)}`
  } catch {
    return ''
  }
}
