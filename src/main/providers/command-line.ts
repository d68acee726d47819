/**
 * What the `latchkey` command needs of each backend to answer a request itself, when no Latchkey
 * runs: the backend's name, its own hand-out (where it has one) and how its sessions stay fresh.
 * The very functions the providers use (a test holds them to the providers), taken from modules
 * without the validation library or an SDK, so the command stays quick to load.
 */
import type { ProviderKind } from '../../shared/contract.ts'
import type { BackendConfig, Provider } from '../core/provider.ts'
import { authingBackendName } from './authing/settings.ts'
import { oidcBackendName } from './oidc/settings.ts'
import { pocketBaseBackendName } from './pocketbase/settings.ts'
import { supabaseBackendName } from './supabase/settings.ts'
import { synmetrixHandOut } from './synmetrix/hand-out.ts'
import { synmetrixBackendName } from './synmetrix/settings.ts'
import { teableHandOut } from './teable/hand-out.ts'
import { teableBackendName } from './teable/settings.ts'

export interface CommandLineBackend {
  backendName: (config: BackendConfig) => string
  /** The backend's own hand-out (Provider.handOut); absent: the session's own token. */
  handOut?: Provider['handOut']
  /** Provider.refreshesWithoutRefreshToken. */
  refreshesWithoutRefreshToken: boolean
  /** Whether the provider checks renewing sessions with the server (Provider.checkSession). */
  checksSessions: boolean
}

export const COMMAND_LINE_BACKENDS: Readonly<Record<ProviderKind, CommandLineBackend>> = {
  oidc: { backendName: oidcBackendName, refreshesWithoutRefreshToken: false, checksSessions: false },
  pocketbase: { backendName: pocketBaseBackendName, refreshesWithoutRefreshToken: true, checksSessions: false },
  authing: { backendName: authingBackendName, refreshesWithoutRefreshToken: true, checksSessions: true },
  supabase: { backendName: supabaseBackendName, refreshesWithoutRefreshToken: false, checksSessions: false },
  synmetrix: { backendName: synmetrixBackendName, handOut: synmetrixHandOut, refreshesWithoutRefreshToken: false, checksSessions: false },
  teable: { backendName: teableBackendName, handOut: teableHandOut, refreshesWithoutRefreshToken: true, checksSessions: false },
}
