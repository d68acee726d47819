/**
 * `node src/dev/supabase-real/prepare.ts`: builds the real Supabase Auth server for the test tier
 * (scripts/run.sh test runs it). Prints one line when the tier cannot run and why. Without Go it
 * fails under CI=true; a module the proxy will not serve or a failed build is written to
 * build-failed.txt next to where the binary would be, and the tests say so when they skip the tier.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cacheDir, cachedBinary, ensureBinary, goAvailable } from './binary.ts'

const say = (line: string): void => {
  process.stderr.write(`latchkey: ${line}\n`)
}

if (cachedBinary() !== null) {
  say('real Supabase Auth server: cached build found')
} else if (!goAvailable()) {
  say('real Supabase Auth test tier skipped: Go is not installed (the emulator tier still runs)')
  if (process.env.CI === 'true') process.exit(1)
} else {
  const failed = join(cacheDir(), 'build-failed.txt')
  try {
    ensureBinary(process.cwd(), say)
    rmSync(failed, { force: true })
    say('real Supabase Auth server: built')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    mkdirSync(cacheDir(), { recursive: true })
    writeFileSync(failed, `${reason}\n`)
    say(`real Supabase Auth test tier skipped: ${reason.replace(/\s*\n\s*/g, " ")}`)
  }
}
