/**
 * `node src/dev/zitadel/prepare.ts`: builds the zitadel/oidc OpenID Provider for the OpenID Connect
 * interoperability tier (scripts/run.sh test runs it). Prints one line when the tier cannot run and
 * why (prepare-tier.ts).
 */
import { buildZitadelOp, cacheDir, cachedBinary, missingToolchain } from './binary.ts'
import { prepareTier } from '../prepare-tier.ts'

await prepareTier({
  name: 'zitadel/oidc',
  dir: cacheDir(),
  cached: () => cachedBinary() !== null,
  missingToolchain,
  build: (log) => {
    buildZitadelOp(process.cwd(), log)
  },
})
