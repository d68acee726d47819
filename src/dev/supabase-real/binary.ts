/**
 * The real Supabase Auth server (module github.com/supabase/auth at a pinned commit), built from the
 * Go module proxy into .cache/supabase-auth/<version>/ (the binary `auth` and its `migrations`), so
 * later runs and CI reuse it. Its go.mod has a local `replace`, so `go install mod@ver` refuses it:
 * the module is downloaded, copied out of the module cache, made writable and built there.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildGoModule, goAvailable } from '../go-module-build.ts'

/** Pseudo-version of supabase/auth commit bc32168 (2026-08-20, after release v2.196.0). */
export const SUPABASE_AUTH_VERSION = 'v0.0.0-20260820085452-bc32168e13fd'
export const SUPABASE_AUTH_MODULE = 'github.com/supabase/auth'

export interface AuthBinary {
  binary: string
  migrations: string
}

export function cacheDir(root = process.cwd()): string {
  return resolve(root, '.cache', 'supabase-auth', SUPABASE_AUTH_VERSION)
}

/** The cached build, or null when it has not been built. */
export function cachedBinary(root = process.cwd()): AuthBinary | null {
  const dir = cacheDir(root)
  const found = { binary: join(dir, 'auth'), migrations: join(dir, 'migrations') }
  return existsSync(found.binary) && existsSync(found.migrations) ? found : null
}

export { goAvailable }

/** Builds the pinned server unless cached; throws with the failing command and its output. */
export function ensureBinary(root = process.cwd(), log: (line: string) => void = () => {}): AuthBinary {
  const cached = cachedBinary(root)
  if (cached !== null) return cached
  const dir = cacheDir(root)
  buildGoModule({ module: SUPABASE_AUTH_MODULE, version: SUPABASE_AUTH_VERSION, dir, output: join(dir, 'auth'), keep: ['migrations'], log })
  return { binary: join(dir, 'auth'), migrations: join(dir, 'migrations') }
}
