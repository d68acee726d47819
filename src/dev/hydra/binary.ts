/**
 * ORY Hydra v2.3.0 built from the Go module proxy into .cache/hydra/<version>/hydra, so later runs
 * and CI reuse it. Its go.mod replaces github.com/ory/hydra-client-go/v2 with a folder the module
 * zip does not hold, so that line is dropped (the proxy's hydra-client-go the go.mod requires is
 * used instead). Built with SQLite (cgo, tags sqlite,sqlite_omit_load_extension) so that it runs
 * with its state in memory (DSN=memory): no database to set up, nothing left behind.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildGoModule, goAvailable } from '../go-module-build.ts'
import { builtTierUnavailable } from '../prepare-tier.ts'

export const HYDRA_VERSION = 'v2.3.0'
export const HYDRA_MODULE = 'github.com/ory/hydra/v2'

export function cacheDir(root = process.cwd()): string {
  return resolve(root, '.cache', 'hydra', HYDRA_VERSION)
}

/** The cached build, or null when it has not been built. */
export function cachedBinary(root = process.cwd()): string | null {
  const binary = join(cacheDir(root), 'hydra')
  return existsSync(binary) ? binary : null
}

/** What is missing to build Hydra here, or null: Go, and a C compiler for SQLite. */
export function missingToolchain(): string | null {
  if (!goAvailable()) return 'Go is not installed, so ORY Hydra cannot be built'
  if (spawnSync('cc', ['--version'], { stdio: 'ignore' }).status !== 0) return 'no C compiler (Debian gcc) for the SQLite that ORY Hydra is built with'
  return null
}

/** Why the Hydra tier cannot run here, or null. `toolchain`: a missing tool, which CI must not skip. */
export function hydraUnavailable(root = process.cwd()): { reason: string; toolchain: boolean } | null {
  return builtTierUnavailable({ dir: cacheDir(root), cached: () => cachedBinary(root) !== null, missingToolchain, prepare: 'src/dev/hydra/prepare.ts' })
}

export function buildHydra(root = process.cwd(), log: (line: string) => void = () => {}): string {
  const dir = cacheDir(root)
  const output = join(dir, 'hydra')
  buildGoModule({
    module: HYDRA_MODULE,
    version: HYDRA_VERSION,
    dir,
    output,
    buildArgs: ['-tags', 'sqlite,sqlite_omit_load_extension'],
    env: { CGO_ENABLED: '1', GOFLAGS: '-mod=mod' },
    edit: (source) => {
      const goMod = join(source, 'go.mod')
      const lines = readFileSync(goMod, 'utf8').split('\n')
      writeFileSync(goMod, lines.filter((line) => !/^\s*replace\s+github\.com\/ory\/hydra-client-go\/v2\s+=>\s+\.\//.test(line)).join('\n'))
    },
    log,
  })
  return output
}
