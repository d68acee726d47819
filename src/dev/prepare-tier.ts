/**
 * The body of a real-server tier's prepare script (scripts/run.sh test runs them before the tests):
 * builds or downloads the server into its cache folder unless it is there, and prints one line when
 * the tier cannot run and why. A missing toolchain fails the run under CI=true; a registry that
 * refuses the download or a failed build is written to build-failed.txt in the cache folder, and the
 * tests say so when they skip the tier.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Tier {
  /** "real Supabase Auth", "ORY Hydra" */
  name: string
  dir: string
  cached(): boolean
  /** Why the toolchain cannot build it, or null. */
  missingToolchain(): string | null
  build(log: (line: string) => void): void | Promise<void>
}

export function say(line: string): void {
  process.stderr.write(`latchkey: ${line}\n`)
}

export async function prepareTier(tier: Tier): Promise<void> {
  if (tier.cached()) {
    say(`${tier.name} server: found in .cache`)
    return
  }
  const missing = tier.missingToolchain()
  if (missing !== null) {
    say(`${tier.name} test tier skipped: ${missing}`)
    if (process.env.CI === 'true') process.exit(1)
    return
  }
  const failed = join(tier.dir, 'build-failed.txt')
  const started = Date.now()
  try {
    await tier.build(say)
    rmSync(failed, { force: true })
    say(`${tier.name} server: ready in ${String(Math.round((Date.now() - started) / 1000))} s`)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    mkdirSync(tier.dir, { recursive: true })
    writeFileSync(failed, `${reason}\n`)
    say(`${tier.name} test tier skipped: ${reason.replace(/\s*\n\s*/g, ' ')}`)
  }
}

/**
 * Why a tier built by its prepare script cannot run here, or null when its build is in the cache.
 * `toolchain`: the reason is a missing tool or a build not made yet, which CI must not skip.
 */
export function builtTierUnavailable(tier: Pick<Tier, 'dir' | 'cached' | 'missingToolchain'> & { prepare: string }): { reason: string; toolchain: boolean } | null {
  if (tier.cached()) return null
  const failed = join(tier.dir, 'build-failed.txt')
  if (existsSync(failed)) return { reason: `its build failed: ${readFileSync(failed, 'utf8').trim().split('\n')[0] ?? ''}`, toolchain: false }
  const missing = tier.missingToolchain()
  if (missing !== null) return { reason: missing, toolchain: true }
  return { reason: `it is not built yet (node ${tier.prepare} builds it)`, toolchain: true }
}
