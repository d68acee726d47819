/**
 * Windows Credential Manager holds at most 2560 bytes (1280 UTF-16 characters) per credential, and
 * a session with JWTs is often larger. This wraps a SecretStore so a long secret is kept as several
 * entries (`key`, holding a small header, plus `key#1`, `key#2`, …) and read back whole. Short
 * secrets are stored as they are.
 */
import type { SecretStore } from '../core/ports.ts'

const HEADER = 'latchkey-chunks:'

export function chunkedSecretStore(store: SecretStore, maxChars: number): SecretStore {
  /** How many pieces each key has in the keychain now (learned at loadAll, kept up to date). */
  const pieceCounts = new Map<string, number>()
  const pieceKey = (key: string, index: number): string => `${key}#${String(index)}`
  const countIn = (value: string | undefined): number =>
    value?.startsWith(HEADER) ? Number.parseInt(value.slice(HEADER.length), 10) || 0 : 0
  const dropPieces = async (key: string, from: number): Promise<void> => {
    const count = pieceCounts.get(key) ?? 0
    for (let i = from; i <= count; i++) await store.delete(pieceKey(key, i))
  }

  return {
    async get(key) {
      const value = await store.get(key)
      const count = countIn(value ?? undefined)
      if (value === null || count === 0) return value
      const pieces: string[] = []
      for (let i = 1; i <= count; i++) {
        const piece = await store.get(pieceKey(key, i))
        if (piece === null) return null
        pieces.push(piece)
      }
      pieceCounts.set(key, count)
      return pieces.join('')
    },
    async loadAll() {
      const raw = await store.loadAll()
      const whole = new Map<string, string>()
      for (const [key, value] of raw) {
        if (/#\d+$/.test(key) && raw.has(key.replace(/#\d+$/, ''))) continue
        const count = countIn(value)
        pieceCounts.set(key, count)
        if (count === 0) {
          whole.set(key, value)
          continue
        }
        const pieces = Array.from({ length: count }, (_, i) => raw.get(pieceKey(key, i + 1)))
        // A secret with a missing piece is unreadable; leaving it out means "sign in again".
        if (pieces.every((p) => p !== undefined)) whole.set(key, pieces.join(''))
      }
      return whole
    },
    async set(key, secret) {
      if (secret.length <= maxChars && !secret.startsWith(HEADER)) {
        await store.set(key, secret)
        await dropPieces(key, 1)
        pieceCounts.set(key, 0)
        return
      }
      const pieces: string[] = []
      for (let at = 0; at < secret.length; at += maxChars) pieces.push(secret.slice(at, at + maxChars))
      // Pieces first, header last, so the header never points at pieces that are not there yet.
      for (const [i, piece] of pieces.entries()) await store.set(pieceKey(key, i + 1), piece)
      await store.set(key, `${HEADER}${String(pieces.length)}`)
      await dropPieces(key, pieces.length + 1)
      pieceCounts.set(key, pieces.length)
    },
    async delete(key) {
      await store.delete(key)
      await dropPieces(key, 1)
      pieceCounts.delete(key)
    },
  }
}

/** Credential Manager's limit, in characters, with room to spare. */
export const WINDOWS_SECRET_CHARS = 1200
