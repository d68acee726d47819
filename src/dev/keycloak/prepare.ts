/**
 * `node src/dev/keycloak/prepare.ts`: downloads Keycloak for the OpenID Connect interoperability tier
 * (scripts/run.sh test runs it), checks it against the pinned SHA-256, unpacks it, and starts it once
 * so that it prepares itself for development mode (once per cache) before test files start one each.
 * Prints one line when the tier cannot run and why (prepare-tier.ts).
 */
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { freePort } from '../free-port.ts'
import { prepareTier } from '../prepare-tier.ts'
import { cacheDir, ensureDist, findJava, missingJava, preparedDist, preparedMarker } from './dist.ts'
import { homeFor, keycloakEnvironment, runKeycloak } from './server.ts'

await prepareTier({
  name: 'Keycloak',
  dir: cacheDir(),
  cached: () => preparedDist() !== null,
  missingToolchain: missingJava,
  build: async (log) => {
    const java = findJava()
    if (java === null) throw new Error(missingJava() ?? 'no Java')
    const dist = await ensureDist(process.cwd(), log)
    log(`starting Keycloak once on Java ${String(java.version)} (it prepares itself for development mode)`)
    const home = homeFor(dist, { realm: 'warm-up', enabled: true })
    try {
      const admin = { username: 'admin', password: randomBytes(24).toString('base64url') }
      const running = await runKeycloak(home, keycloakEnvironment(java, admin), await freePort(), 'warm-up')
      await running.stop()
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
    writeFileSync(preparedMarker(), `${new Date().toISOString()}\n`)
  },
})
