/**
 * Builds a Go program from a module on the Go module proxy into a cache folder, for the test tiers
 * that run a real server (Supabase Auth, ORY Hydra). Modules whose go.mod has a local `replace` are
 * refused by `go install mod@ver`, so the module is downloaded, copied out of the module cache, made
 * writable, optionally edited, and built there. buildGoProgram builds a one-file program of the
 * project's own against a module from the proxy instead (the zitadel/oidc provider). Both throw
 * with the failing command and its output.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'

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
  goBuild(source, build)
  for (const name of build.keep ?? []) cpSync(join(source, name), join(build.dir, name), { recursive: true })
  rmSync(source, { recursive: true, force: true })
}

export interface GoProgramBuild {
  /** The program's one source file (package main). */
  main: string
  /** The module it imports, as on the proxy; its own requirements come along (GOFLAGS=-mod=mod). */
  module: string
  version: string
  /** The cache folder; the program is put together in <dir>/src and that is removed after the build. */
  dir: string
  output: string
  log?: (line: string) => void
}

export function buildGoProgram(build: GoProgramBuild): void {
  const source = join(build.dir, 'src')
  rmSync(source, { recursive: true, force: true })
  mkdirSync(source, { recursive: true })
  writeFileSync(join(source, 'go.mod'), `module latchkey.test/${basename(build.output)}\n\ngo 1.26\n\nrequire ${build.module} ${build.version}\n`)
  copyFileSync(build.main, join(source, 'main.go'))
  build.log?.(`building ${basename(build.main)} against ${build.module}@${build.version} from the Go module proxy`)
  goBuild(source, { output: build.output, env: { GOFLAGS: '-mod=mod' } })
  rmSync(source, { recursive: true, force: true })
}

function goBuild(source: string, build: Pick<GoModuleBuild, 'output' | 'buildArgs' | 'env'>): void {
  const built = spawnSync('go', ['build', ...(build.buildArgs ?? []), '-o', build.output, '.'], {
    cwd: source,
    encoding: 'utf8',
    env: { ...process.env, CGO_ENABLED: '0', ...build.env },
  })
  if (built.status !== 0) throw new Error(`go build in ${source} failed: ${built.stderr.trim()}`)
}
