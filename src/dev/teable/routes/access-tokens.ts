/**
 * Personal access tokens (features/access-token) and one data route a token can reach
 * (`GET /api/space`, scope `space|read`). Managing tokens needs the cookie session. A token
 * reaches only the spaces it names, or all of them with `hasFullAccess`.
 */
import { randomString } from '../../pocketbase/random.ts'
import { badRequest, internal } from '../errors.ts'
import { requireScope, requireSession, stringField } from '../http.ts'
import type { AccessToken, TeableState } from '../state.ts'
import { route } from './table.ts'

function item(token: AccessToken): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    ...(token.description === undefined ? {} : { description: token.description }),
    scopes: [...token.scopes],
    ...(token.spaceIds === null ? {} : { spaceIds: [...token.spaceIds] }),
    ...(token.baseIds === null ? {} : { baseIds: [...token.baseIds] }),
    ...(token.hasFullAccess === true ? { hasFullAccess: true } : {}),
    expiredTime: new Date(token.expiredTime).toISOString(),
    createdTime: new Date(token.createdTime).toISOString(),
    ...(token.lastUsedTime === null ? {} : { lastUsedTime: new Date(token.lastUsedTime).toISOString() }),
  }
}

function idList(value: unknown, key: string): string[] | null {
  if (value === undefined || value === null) return null
  if (!Array.isArray(value) || value.length === 0 || !value.every((entry) => typeof entry === 'string')) throw badRequest(`${key}: Array must contain at least 1 element(s)`)
  return value
}

function dateField(value: unknown): number {
  const time = typeof value === 'string' ? new Date(value).getTime() : Number.NaN
  if (Number.isNaN(time)) throw badRequest('expiredTime: Invalid Date ')
  return time
}

function mint(state: TeableState, token: AccessToken): string {
  const value = state.pats.encode(token.id, token.sign)
  state.issued.push(value)
  return value
}

export const ACCESS_TOKEN_ROUTES = [
  route('POST', '/api/access-token', async (state, ctx) => {
    const { user } = requireSession(ctx)
    const body = await ctx.json()
    const name = stringField(body, 'name') ?? ''
    if (name === '') throw badRequest('name: String must contain at least 1 character(s)')
    const scopes = body.scopes
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => typeof scope === 'string')) throw badRequest('scopes: Array must contain at least 1 element(s)')
    const description = stringField(body, 'description')
    if (body.hasFullAccess !== undefined && typeof body.hasFullAccess !== 'boolean') throw badRequest('hasFullAccess: Expected boolean')
    const token: AccessToken = {
      id: `acc${randomString(16)}`,
      userId: user.id,
      name,
      ...(description === undefined ? {} : { description }),
      scopes: scopes,
      spaceIds: idList(body.spaceIds, 'spaceIds'),
      baseIds: idList(body.baseIds, 'baseIds'),
      ...(body.hasFullAccess === true ? { hasFullAccess: true } : {}),
      sign: randomString(16),
      expiredTime: dateField(body.expiredTime),
      createdTime: state.now(),
      lastUsedTime: null,
    }
    state.tokens.set(token.id, token)
    ctx.send(201, { ...item(token), token: mint(state, token), lastUsedTime: new Date(state.now()).toISOString() })
  }),
  route('GET', '/api/access-token', (state, ctx) => {
    const { user } = requireSession(ctx)
    ctx.send(200, [...state.tokens.values()].filter((token) => token.userId === user.id).map(item))
  }),
  route('DELETE', '/api/access-token/:id', (state, ctx) => {
    const { user } = requireSession(ctx)
    const token = state.tokens.get(ctx.params.id ?? '')
    // prisma's delete of a missing row throws: the client sees 500.
    if (token?.userId !== user.id) throw internal()
    state.tokens.delete(token.id)
    ctx.send(200)
  }),
  route('POST', '/api/access-token/:id/refresh', async (state, ctx) => {
    const { user } = requireSession(ctx)
    const body = await ctx.json()
    if (body.expiredTime === undefined) throw badRequest('expiredTime: Required')
    const expiredTime = dateField(body.expiredTime)
    const token = state.tokens.get(ctx.params.id ?? '')
    if (token?.userId !== user.id) throw internal()
    // A new sign: the old token stops working.
    token.sign = randomString(16)
    token.expiredTime = expiredTime
    ctx.send(200, { id: token.id, expiredTime: new Date(expiredTime).toISOString(), token: mint(state, token) })
  }),
  route('GET', '/api/space', (state, ctx) => {
    const user = requireScope(ctx, 'space|read')
    // space.service filterSpaceListWithAccessToken: the session and a full-access token see every
    // space, a token naming spaces sees those, any other token none.
    const token = ctx.caller.kind === 'token' ? ctx.caller.token : null
    const full = token === null || token.hasFullAccess === true
    const visible = user.spaceIds.filter((id) => full || (token.spaceIds?.includes(id) ?? false))
    ctx.send(200, visible.map((id) => state.spaces.get(id)).filter((space) => space !== undefined))
  }),
]
