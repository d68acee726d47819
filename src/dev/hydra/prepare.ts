/**
 * `node src/dev/hydra/prepare.ts`: builds ORY Hydra for the OpenID Connect interoperability tier
 * (scripts/run.sh test runs it). Prints one line when the tier cannot run and why (prepare-tier.ts).
 */
import { buildHydra, cacheDir, cachedBinary, missingToolchain } from './binary.ts'
import { prepareTier } from '../prepare-tier.ts'

await prepareTier({
  name: 'ORY Hydra',
  dir: cacheDir(),
  cached: () => cachedBinary() !== null,
  missingToolchain,
  build: (log) => {
    buildHydra(process.cwd(), log)
  },
})
