/** The Synmetrix backend: hasura-backend-plus v2.7.1 over a small fetch client (no SDK fits a multi-account main process). */
import type { Provider } from '../../core/provider.ts'
import { withOperationsOnFirstUse } from '../loaded-on-first-use.ts'
import { parseSynmetrixConfig, synmetrixBackendName } from './config.ts'
import { SYNMETRIX_DESCRIPTOR } from './descriptor.ts'
import { synmetrixHandOut } from './hand-out.ts'

export function createSynmetrixProvider(): Provider {
  return withOperationsOnFirstUse(
    { kind: 'synmetrix', descriptor: SYNMETRIX_DESCRIPTOR, parseConfig: parseSynmetrixConfig, backendName: synmetrixBackendName, handOut: synmetrixHandOut },
    ['beginSignIn', 'refresh', 'signOut', 'actions', 'runAction'],
    async () => (await import('./operations.ts')).synmetrixOperations(),
  )
}
