/**
 * Builds a Go program from a module on the Go module proxy into a cache folder, for the test tiers
 * that run a real server (Supabase Auth, ORY Hydra). Modules whose go.mod has a local `replace` are
 * refused by `go install mod@ver`, so the module is downloaded, copied out of the module cache, made
 * writable, optionally edited, and built there. Throws with the failing command and its output.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0
}

export interface GoModuleBuild {
  module: string
  version: string
  /** The cache folder; the source is copied to <dir>/src and removed after the build. */
  dir: string
  /** Path of the program to build. */
  output: string
  /** Extra arguments to `go build` (build tags). */
  buildArgs?: string[]
  /** Extra environment for `go build` (CGO_ENABLED, GOFLAGS). */
  env?: Record<string, string>
  /** Changes to the copied source before the build (a go.mod line to drop). */
  edit?: (source: string) => void
  /** Source folders to keep next to the program (copied to <dir>/<name>). */
  keep?: string[]
  log?: (line: string) => void
}

export function buildGoModule(build: GoModuleBuild): void {
  const log = build.log ?? (() => {})
  const target = `${build.module}@${build.version}`
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
  const source = join(build.dir, 'src')
  rmSync(source, { recursive: true, force: true })
  mkdirSync(build.dir, { recursive: true })
  cpSync(info.Dir, source, { recursive: true })
  execFileSync('chmod', ['-R', 'u+w', source])
  build.edit?.(source)
  log(`building ${target} (a few minutes the first time)`)
  const built = spawnSync('go', ['build', ...(build.buildArgs ?? []), '-o', build.output, '.'], {
    cwd: source,
    encoding: 'utf8',
    env: { ...process.env, CGO_ENABLED: '0', ...build.env },
  })
  if (built.status !== 0) throw new Error(`go build in ${source} failed: ${built.stderr.trim()}`)
  for (const name of build.keep ?? []) cpSync(join(source, name), join(build.dir, name), { recursive: true })
  rmSync(source, { recursive: true, force: true })
}
