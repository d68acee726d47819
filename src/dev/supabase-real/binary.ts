/**
 * The real Supabase Auth server (module github.com/supabase/auth at a pinned commit), built from the
 * Go module proxy into .cache/supabase-auth/<version>/ (the binary `auth` and its `migrations`), so
 * later runs and CI reuse it. Its go.mod has a local `replace`, so `go install mod@ver` refuses it:
 * the module is downloaded, copied out of the module cache, made writable and built there.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

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

export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0
}

/** Builds the pinned server unless cached; throws with the failing command and its output. */
export function ensureBinary(root = process.cwd(), log: (line: string) => void = () => {}): AuthBinary {
  const cached = cachedBinary(root)
  if (cached !== null) return cached
  const dir = cacheDir(root)
  const target = `${SUPABASE_AUTH_MODULE}@${SUPABASE_AUTH_VERSION}`
  log(`downloading ${target} from the Go module proxy`)
  const download = spawnSync('go', ['mod', 'download', '-json', target], { encoding: 'utf8' })
  let info: { Dir?: string; Error?: string } = {}
  try {
    info = JSON.parse(download.stdout) as { Dir?: string; Error?: string }
  } catch {
    // reported below
  }
  if (download.status !== 0 || info.Dir === undefined) {
    throw new Error(`go mod download -json ${target} failed: ${(info.Error ?? download.stderr) || `exit ${String(download.status)}`}`.trim())
  }
  const source = join(dir, 'src')
  rmSync(source, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  cpSync(info.Dir, source, { recursive: true })
  execFileSync('chmod', ['-R', 'u+w', source])
  log(`building ${target} (a few minutes the first time)`)
  const build = spawnSync('go', ['build', '-o', join(dir, 'auth'), '.'], { cwd: source, encoding: 'utf8', env: { ...process.env, CGO_ENABLED: '0' } })
  if (build.status !== 0) throw new Error(`go build in ${source} failed: ${build.stderr.trim()}`)
  cpSync(join(source, 'migrations'), join(dir, 'migrations'), { recursive: true })
  rmSync(source, { recursive: true, force: true })
  return { binary: join(dir, 'auth'), migrations: join(dir, 'migrations') }
}
