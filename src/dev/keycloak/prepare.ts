/**
 * `node src/dev/keycloak/prepare.ts`: downloads Keycloak for the OpenID Connect interoperability tier
 * (scripts/run.sh test runs it), checks it against the pinned SHA-256, unpacks it, and starts it once
 * so that it prepares itself for development mode and builds its database (once per cache), which
 * each test's Keycloak then starts from.
 * Prints one line when the tier cannot run and why (prepare-tier.ts).
 */
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../free-port.ts'
import { prepareTier } from '../prepare-tier.ts'
import { cacheDir, ensureDist, findJava, missingJava, preparedDist, preparedMarker } from './dist.ts'
import { homeFor, keycloakEnvironment, runKeycloak, seedDatabase } from './server.ts'

await prepareTier({
  name: 'Keycloak',
  dir: cacheDir(),
  cached: () => preparedDist() !== null && existsSync(seedDatabase()),
  missingToolchain: missingJava,
  build: async (log) => {
    const java = findJava()
    if (java === null) throw new Error(missingJava() ?? 'no Java')
    const dist = await ensureDist(process.cwd(), log)
    log(`starting Keycloak once on Java ${String(java.version)} (it prepares itself for development mode)`)
    rmSync(seedDatabase(), { recursive: true, force: true })
    const home = homeFor(dist, null)
    try {
      const running = await runKeycloak(home, keycloakEnvironment(java), await freePort(), 'master')
      await running.stop()
      // Its database, with the schema built and the master realm made, is where each test's starts.
      cpSync(join(home, 'data', 'h2'), seedDatabase(), { recursive: true })
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
    writeFileSync(preparedMarker(), `${new Date().toISOString()}\n`)
  },
})
