/**
 * Personal access tokens from a signed-in session: create (name, scopes, spaces, expiry), use a
 * pasted one, refresh (a new expiry and a new token: the old one stops working) and delete. The
 * token the account holds lives in the keychain (the account's secret configuration), with the ids
 * of the tokens Latchkey created, so removing the account can delete exactly those.
 */
import { AppError } from '../../core/errors.ts'
import type { ActionResult } from '../../core/provider.ts'
import { scopeKey, TOKEN_SCOPES } from './action-forms.ts'
import type { ActionInput } from './account-call.ts'
import { endedOr, sessionCall, text } from './account-call.ts'
import { teableCall } from './client.ts'
import { patProblem } from './config.ts'
import { credentialView, listTokens, tokenId, utc } from './credentials.ts'
import { tokenSecrets } from './token-secrets.ts'
import { userFrom } from './user.ts'

const DAY_MS = 86_400_000


/** The token held (with its expiry, when known) and the ids of the tokens Latchkey created. */
interface Held {
  token: string | null
  expiresAt: string | null
}

function secretConfig(held: Held, created: string[]): Record<string, string> {
  return {
    ...(held.token === null ? {} : { token: held.token, ...(held.expiresAt === null ? {} : { tokenExpiresAt: held.expiresAt }) }),
    ...(created.length === 0 ? {} : { createdTokens: [...new Set(created)].join(',') }),
  }
}

function expiry(input: ActionInput): string {
  const days = Number(text(input.values, 'expiry'))
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new AppError('VALIDATION', 'Choose when the token expires.', { field: 'expiry' })
  return new Date(input.ctx.clock.now() + days * DAY_MS).toISOString()
}

async function withProfile(input: ActionInput, message: string, held: Held, created: string[]): Promise<ActionResult> {
  const config = secretConfig(held, created)
  const token = held.token
  const me = await sessionCall(input, { method: 'GET', path: '/auth/user/me' })
  const user = me.ok && me.answer.status === 200 ? userFrom(me.answer.body) : null
  const { profile, credentials } = await credentialView({ ...input.settings, token }, user, input.cookie, input.ctx)
  return { message, secretConfig: config, profile, credentials }
}

export async function createToken(input: ActionInput): Promise<ActionResult> {
  const name = text(input.values, 'name').trim()
  if (name === '') throw new AppError('VALIDATION', 'Name the token (for example the tool that will use it).', { field: 'name' })
  const scopes = TOKEN_SCOPES.filter(({ scope }) => text(input.values, scopeKey(scope)) === 'true').map(({ scope }) => scope)
  if (scopes.length === 0) throw new AppError('VALIDATION', 'Choose at least one thing the token may do.', { field: scopeKey(TOKEN_SCOPES[0]?.scope ?? '') })
  const space = text(input.values, 'space')
  const expiredTime = expiry(input)
  // A token naming no space, base or full access reaches nothing on Teable: "All my spaces" asks for full access.
  const body = { name, scopes, expiredTime, ...(space === '' || space === '*' ? { hasFullAccess: true } : { spaceIds: [space] }) }
  const result = await sessionCall(input, { method: 'POST', path: '/access-token', json: body })
  const created = result.ok ? (result.answer.body as { id?: unknown; token?: unknown; expiredTime?: unknown } | null) : null
  if (!result.ok || result.answer.status !== 201 || typeof created?.token !== 'string' || typeof created.id !== 'string') return endedOr(input, result, 'creating the token', 'VALIDATION', 'name')
  const { created: ids } = tokenSecrets(input.account.config)
  const expiresAt = typeof created.expiredTime === 'string' ? created.expiredTime : expiredTime
  return withProfile(input, `Created the access token “${name}”, valid until ${utc(expiresAt)}. It is kept in the keychain.`, { token: created.token, expiresAt }, [...ids, created.id])
}

export async function useToken(input: ActionInput): Promise<ActionResult> {
  const token = text(input.values, 'token').trim()
  const problem = patProblem(token)
  if (problem !== null) throw new AppError('VALIDATION', problem, { field: 'token' })
  const result = await teableCall(input.settings, { method: 'GET', path: '/auth/user', credential: { bearer: token } })
  const user = result.ok && result.answer.status === 200 ? userFrom(result.answer.body) : null
  if (result.ok && user === null && result.answer.status < 502) throw new AppError('VALIDATION', `${input.settings.host} does not accept this token: it expired, was deleted, or was not copied whole.`, { field: 'token' })
  if (user === null) return endedOr(input, result, 'checking the token')
  if (user.id !== input.account.identity.subject) throw new AppError('VALIDATION', 'This token belongs to another Teable user. Add it as an account of its own.', { field: 'token' })
  const listed = (await listTokens(input.settings, input.cookie))?.find((item) => item.id === tokenId(token))
  return withProfile(input, 'This account now holds the pasted token. It is kept in the keychain.', { token, expiresAt: listed?.expiredTime ?? null }, tokenSecrets(input.account.config).created)
}

export async function refreshToken(input: ActionInput): Promise<ActionResult> {
  const id = text(input.values, 'token')
  const expiredTime = expiry(input)
  const result = await sessionCall(input, { method: 'POST', path: `/access-token/${encodeURIComponent(id)}/refresh`, json: { expiredTime } })
  const fresh = result.ok ? (result.answer.body as { token?: unknown; expiredTime?: unknown } | null) : null
  if (!result.ok || result.answer.status !== 200 || typeof fresh?.token !== 'string') return endedOr(input, result, 'refreshing the token', 'VALIDATION', 'token')
  const { token, expiresAt, created } = tokenSecrets(input.account.config)
  const held = token !== null && tokenId(token) === id
  const newExpiry = typeof fresh.expiredTime === 'string' ? fresh.expiredTime : expiredTime
  const note = held ? ' This account now holds the new token.' : ' The old token stopped working; tools using it need the new one from Teable.'
  return withProfile(input, `Refreshed: valid until ${utc(newExpiry)}.${note}`, held ? { token: fresh.token, expiresAt: newExpiry } : { token, expiresAt }, created)
}

export async function deleteToken(input: ActionInput): Promise<ActionResult> {
  const id = text(input.values, 'token')
  const result = await sessionCall(input, { method: 'DELETE', path: `/access-token/${encodeURIComponent(id)}` })
  if (!result.ok || result.answer.status !== 200) return endedOr(input, result, 'deleting the token', 'VALIDATION', 'token')
  const { token, expiresAt, created } = tokenSecrets(input.account.config)
  const held = token !== null && tokenId(token) === id
  return withProfile(input, held ? 'Deleted the token this account held.' : 'Deleted the token.', held ? { token: null, expiresAt: null } : { token, expiresAt }, created.filter((item) => item !== id))
}

/** Before the account is removed, when the person asked for it: delete the tokens Latchkey created. */
export async function deleteCreatedTokens(input: ActionInput): Promise<string> {
  const { created } = tokenSecrets(input.account.config)
  let deleted = 0
  for (const id of created) {
    const result = await sessionCall(input, { method: 'DELETE', path: `/access-token/${encodeURIComponent(id)}` })
    if (result.ok && result.answer.status === 200) deleted += 1
  }
  const failed = created.length - deleted
  return failed === 0 ? `Deleted ${String(deleted)} access token(s) Latchkey had created.` : `Deleted ${String(deleted)} access token(s) Latchkey had created; ${String(failed)} could not be deleted (already gone, or the session had ended).`
}
