/** The people on the demo PocketBase / BosBase server (`npm run demo`) and the emulator's defaults. */
import type { OidcClientRegistration } from '../oidc-server.ts'
import { fixedUuidV7 } from './random.ts'
import type { EmulatorUser, PocketBaseMode } from './types.ts'

export const DEMO_POCKETBASE_USERS: readonly EmulatorUser[] = [
  // Fixed ids: the same person is the same record on every start, and in every fresh demo folder.
  { id: 'ada000000000001', email: 'ada@example.test', password: 'lovelace-1815', name: 'Ada Lovelace', verified: true },
  { id: 'grace0000000001', email: 'grace@example.test', password: 'cobol-1959', name: 'Grace Hopper', verified: true, mfa: true },
]

export const DEMO_POCKETBASE_SUPERUSERS: readonly EmulatorUser[] = [{ id: 'root00000000001', email: 'root@example.test', password: 'superuser-pass' }]

/** The people with their fixed ids in the form `mode`'s server makes them. */
function withIdsOf(mode: PocketBaseMode, users: readonly EmulatorUser[]): readonly EmulatorUser[] {
  return mode === 'pocketbase' ? users : users.map((user) => ({ ...user, ...(user.id === undefined ? {} : { id: fixedUuidV7(user.id) }) }))
}

export function demoPocketBaseUsers(mode: PocketBaseMode): readonly EmulatorUser[] {
  return withIdsOf(mode, DEMO_POCKETBASE_USERS)
}

export function demoPocketBaseSuperusers(mode: PocketBaseMode): readonly EmulatorUser[] {
  return withIdsOf(mode, DEMO_POCKETBASE_SUPERUSERS)
}

/**
 * The confidential client the emulator uses at the local OpenID Connect server (pass it in that
 * server's `extraClients`, and its id and secret as the emulator's `upstream`). Its redirects cover
 * the app's loopback receiver and the emulator's own /api/oauth2-redirect, on any port.
 */
export const DEMO_POCKETBASE_OIDC_CLIENT = {
  client_id: 'pocketbase-demo',
  client_secret: 'pocketbase-demo-secret-not-for-production',
  client_name: 'PocketBase demo',
  redirect_uris: ['http://127.0.0.1/callback', 'http://127.0.0.1/api/oauth2-redirect'],
} as const satisfies OidcClientRegistration
