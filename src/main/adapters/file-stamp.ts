import { statSync } from 'node:fs'

/**
 * Size, modification time (sub-millisecond) and inode of a file: changes whenever the file does
 * (an atomic replace brings a new inode, a write in place a new time). Empty when the file cannot be read.
 */
export function stampOf(path: string): string {
  try {
    const stat = statSync(path)
    return `${String(stat.size)}:${String(stat.mtimeMs)}:${String(stat.ino)}`
  } catch {
    return ''
  }
}
