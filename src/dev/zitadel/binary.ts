/**
 * The zitadel/oidc OpenID Provider: main.go (this folder) built against github.com/zitadel/oidc/v3
 * from the Go module proxy into .cache/zitadel-oidc/<version>/, so later runs and CI reuse it. The
 * program's name carries a hash of main.go, so a changed main.go is built again (and the build of
 * the earlier one removed). Pure Go: no C compiler needed.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildGoProgram, goAvailable } from '../go-module-build.ts'
import { builtTierUnavailable } from '../prepare-tier.ts'

export const ZITADEL_OIDC_VERSION = 'v3.52.0'
export const ZITADEL_OIDC_MODULE = 'github.com/zitadel/oidc/v3'
const MAIN = fileURLToPath(new URL('main.go', import.meta.url))

export function cacheDir(root = process.cwd()): string {
  return resolve(root, '.cache', 'zitadel-oidc', ZITADEL_OIDC_VERSION)
}

function binaryPath(root: string): string {
  const hash = createHash('sha256').update(readFileSync(MAIN)).digest('hex').slice(0, 12)
  return join(cacheDir(root), `op-${hash}`)
}

/** The cached build of this main.go, or null when it has not been built. */
export function cachedBinary(root = process.cwd()): string | null {
  const binary = binaryPath(root)
  return existsSync(binary) ? binary : null
}

export function missingToolchain(): string | null {
  return goAvailable() ? null : 'Go is not installed, so the zitadel/oidc OpenID Provider cannot be built'
}

/** Why the zitadel/oidc tier cannot run here, or null. `toolchain`: a missing tool, which CI must not skip. */
export function zitadelUnavailable(root = process.cwd()): { reason: string; toolchain: boolean } | null {
  return builtTierUnavailable({ dir: cacheDir(root), cached: () => cachedBinary(root) !== null, missingToolchain, prepare: 'src/dev/zitadel/prepare.ts' })
}

export function buildZitadelOp(root = process.cwd(), log: (line: string) => void = () => {}): string {
  const output = binaryPath(root)
  // Builds of an earlier main.go (16 MB each) are of no more use.
  for (const name of existsSync(cacheDir(root)) ? readdirSync(cacheDir(root)) : []) {
    if (name.startsWith('op-')) rmSync(join(cacheDir(root), name), { force: true })
  }
  buildGoProgram({ main: MAIN, module: ZITADEL_OIDC_MODULE, version: ZITADEL_OIDC_VERSION, dir: cacheDir(root), output, log })
  return output
}
