/** Turns accounts into the plain DTOs the renderer sees. No secret ever passes through here. */
import { isoOrNull } from '../iso-time.ts'
import { profileFields } from '../profile.ts'
import type { AccountDetail, AccountSummary, ProfileField, TokenInspection } from '../../../shared/contract.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { inspectToken } from '../sessions/inspect-token.ts'
import type { ProviderSet } from './provider-set.ts'
import type { SessionKeeper } from './session-keeper.ts'

export function toSummary(record: AccountRecord, keeper: SessionKeeper, providers: ProviderSet, activeId: string | null): AccountSummary {
  const state = keeper.state(record.id)
  const facts = keeper.facts(record.id)
  const renewal = keeper.renewalOf(record, facts)
  const provider = providers.get(record.provider)
  return {
    id: record.id,
    label: record.label,
    provider: record.provider,
    backend: provider.backendName(record.config),
    status: state.status,
    attention: state.attention,
    expiresAt: facts ? isoOrNull(facts.expiresAt) : record.expiresAt,
    renewal,
    storage: keeper.storage(record.id),
    active: record.id === activeId,
    user: { subject: record.identity.subject, name: record.identity.name, email: record.identity.email },
    hasSession: facts !== null,
    canSignInAgain: provider.canSignInAgain?.(record.config) ?? true,
    ...(record.credentials !== undefined && record.credentials.length > 0 ? { credentials: record.credentials } : {}),
    ...(facts !== null && renewal === 'automatic' && providers.checksSessions(record.provider, facts) ? { checkable: true } : {}),
  }
}

export function toDetail(summary: AccountSummary, record: AccountRecord, keeper: SessionKeeper, providers: ProviderSet): AccountDetail {
  // Opened for this view alone.
  const { session, config: secretConfig } = keeper.secrets(record.id)
  const tokens: TokenInspection[] = []
  if (session) {
    const access = inspectToken(session.accessToken, 'access')
    // Opaque access tokens say nothing about themselves; the token response did.
    tokens.push({
      ...access,
      scopes: session.scopes.length > 0 ? session.scopes : access.scopes,
      issuedAt: access.issuedAt ?? isoOrNull(session.issuedAt),
      expiresAt: access.expiresAt ?? isoOrNull(session.expiresAt),
    })
    if (session.idToken) tokens.push(inspectToken(session.idToken, 'id'))
  }
  const fields = providers.get(record.provider).descriptor.fields
  const config: ProfileField[] = fields
    .filter((f) => f.kind !== 'secret' && record.config[f.key] !== undefined)
    .map((f) => ({ key: f.key, label: f.label, value: record.config[f.key] ?? '' }))
  return {
    account: summary,
    profile: profileFields(record.profile),
    tokens,
    config,
    lastRefreshAt: record.lastRefreshAt,
    canRevoke: (session?.refreshToken ?? null) !== null || (session !== null && providers.get(record.provider).signOutEndsSession === true),
    removeOption: session ? (providers.get(record.provider).removeOption?.({ ...record.config, ...secretConfig }) ?? null) : null,
  }
}

