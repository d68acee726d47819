/**
 * The whole app behind the bridge (real providers, handlers, schemas and router) on in-memory
 * settings and keychain, for the fuzz suites. Nothing it is sent should reach a handler.
 */
import { composeLatchkey } from '../../main/compose.ts'
import { fakeKeychain } from '../../main/core/testing/fake-keychain.ts'
import { memoryAccountFiles } from '../../main/core/testing/memory-account-files.ts'
import { memorySettings } from '../../main/core/testing/harness.ts'
import { recordingLogger } from '../../main/core/testing/recording-logger.ts'

export const FUZZ_CALLS_PER_FAMILY = 10_000
/** Set LATCHKEY_FUZZ_SEED to replay another run; the default keeps CI deterministic. */
export const FUZZ_SEED = Number(process.env.LATCHKEY_FUZZ_SEED ?? 20_261_205)

export function fuzzApp() {
  const logger = recordingLogger()
  const opened: string[] = []
  const app = composeLatchkey({
    shell: 'browser',
    version: 'fuzz',
    settings: { store: memorySettings(), recovered: null },
    accountFiles: memoryAccountFiles(),
    secrets: { store: fakeKeychain() },
    browser: { open: (url) => (opened.push(url), Promise.resolve()) },
    clipboard: null,
    logger,
  })
  return { ...app, logger, opened }
}

/** A stable number per channel family, so each family gets its own stream of calls. */
export function familySeed(family: string): number {
  let hash = FUZZ_SEED
  for (const char of family) hash = Math.imul(hash ^ char.charCodeAt(0), 16_777_619) >>> 0
  return hash
}
