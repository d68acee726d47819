/**
 * `node src/dev/supabase-real/prepare.ts`: builds the real Supabase Auth server for the test tier
 * (scripts/run.sh test runs it). Prints one line when the tier cannot run and why (prepare-tier.ts).
 */
import { cacheDir, cachedBinary, ensureBinary, goAvailable } from './binary.ts'
import { prepareTier } from '../prepare-tier.ts'

await prepareTier({
  name: 'real Supabase Auth',
  dir: cacheDir(),
  cached: () => cachedBinary() !== null,
  missingToolchain: () => (goAvailable() ? null : 'Go is not installed (the emulator tier still runs)'),
  build: (log) => {
    ensureBinary(process.cwd(), log)
  },
})
