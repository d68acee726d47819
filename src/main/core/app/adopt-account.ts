/**
 * Turns a completed sign-in into an account: the same person on the same backend configuration
 * updates their existing account, anyone else becomes a new one. Used by sign-in and by account
 * actions that create accounts (impersonation).
 */
import type { ProviderKind } from '../../../shared/contract.ts'
import type { AccountRegistry } from '../accounts/registry.ts'
import { AppError } from '../errors.ts'
import type { Clock, Logger } from '../ports.ts'
import type { BackendConfig, ProviderContext } from '../provider.ts'
import type { Identity, SignedIn } from '../sessions/session.ts'
import type { ProviderSet } from './provider-set.ts'
import type { SessionKeeper } from './session-keeper.ts'

export interface AdoptDeps {
  registry: AccountRegistry
  keeper: SessionKeeper
  providers: ProviderSet
  clock: Clock
  logger: Logger
}

export interface AdoptTarget {
  kind: ProviderKind
  config: BackendConfig
  label: string | undefined
  /** Set when signing in again to an existing account. */
  accountId: string | undefined
}

/** Stores the session under the right account and returns its id; `activate` also switches to it. */
export async function adoptSignedIn(deps: AdoptDeps, target: AdoptTarget, signedIn: SignedIn, options: { activate: boolean }): Promise<string> {
  const { registry, providers, keeper } = deps
  const provider = providers.get(target.kind)
  // Signing in again keeps secret whatever the account already keeps secret (a token an action created).
  const kept = target.accountId ? Object.keys(keeper.secretConfig(target.accountId)) : []
  const { open, secret } = providers.split(target.kind, target.config, kept)
  const backend = provider.backendName(target.config)
  if (target.accountId) await refuseSomeoneElse(deps, target, signedIn)
  const key = accountKey(target.kind, open, signedIn.identity.subject)
  const existing = target.accountId ?? registry.list().find((r) => accountKey(r.provider, r.config, r.identity.subject) === key)?.id
  const id =
    existing ??
    registry.add({
      label: target.label ?? `${whoIs(signedIn.identity)} @ ${backend}`,
      provider: target.kind,
      config: open,
      identity: signedIn.identity,
      lastRefreshAt: null,
      expiresAt: null,
      attention: null,
      signedOut: false,
      profile: signedIn.profile,
      ...(signedIn.credentials ? { credentials: signedIn.credentials } : {}),
    }).id
  if (existing) registry.update(id, { identity: signedIn.identity, config: open, profile: signedIn.profile, credentials: signedIn.credentials ?? [] })
  // Active before adopting: adopting announces the change, so the list the renderer gets is whole.
  if (options.activate) registry.setActive(id)
  await keeper.adopt(id, signedIn.session, secret)
  deps.logger.info('auth.signed-in', { accountId: id, provider: target.kind, backend })
  return id
}

export function whoIs(identity: Identity): string {
  return identity.email ?? identity.name ?? identity.subject
}

/** Signing in again must be as the same person; someone else's fresh session is revoked, not kept. */
async function refuseSomeoneElse(deps: AdoptDeps, target: AdoptTarget, signedIn: SignedIn): Promise<void> {
  const record = deps.registry.require(target.accountId ?? '')
  if (record.identity.subject === signedIn.identity.subject) return
  const ctx: ProviderContext = { clock: deps.clock, logger: deps.logger }
  const revocation = await deps.providers
    .get(target.kind)
    .signOut(target.config, signedIn.session, ctx)
    .then(
      (result) => result.message,
      () => 'The server could not be asked to revoke it, so it may stay valid there until it expires.',
    )
  const them = whoIs(signedIn.identity)
  throw new AppError(
    'AUTH_FAILED',
    `You signed in as ${them}, but this account belongs to ${whoIs(record.identity)}. Sign in as them, or add ${them} as a new account. ` +
      `Latchkey did not keep the session of ${them}: ${revocation}`,
  )
}

/**
 * One person on one backend configuration (issuer and client, not just the host: several issuers
 * can share a host): signing in as them again updates that account.
 */
function accountKey(kind: string, config: Record<string, string>, subject: string): string {
  return JSON.stringify([kind, configKey(config), subject])
}

function configKey(config: Record<string, string>): [string, string][] {
  return Object.entries(config).sort(([a], [b]) => a.localeCompare(b))
}

/** Two open (non-secret) backend configurations name the same backend and client. */
export function sameConfig(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(configKey(a)) === JSON.stringify(configKey(b))
}
