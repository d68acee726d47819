/**
 * POST /api/collections/{collection}/auth-refresh: only while the token is still valid (no grace
 * after exp). PocketBase mints a new token for a refreshable one and hands a static (impersonate)
 * token back unchanged (PocketBase 0.23 to 0.28 refused it with 403 instead: the option
 * `refusesStaticRefresh`); BosBase's tokens are all static, so it always hands back the same token.
 */
import type { App } from '../app.ts'
import { respondWithAuth } from '../auth-response.ts'
import { forbidden } from '../errors.ts'
import type { Ctx } from '../http.ts'
import { unverifiedClaims } from '../tokens.ts'
import { pathCollection, requireSameCollectionAuth } from './common.ts'

export async function authRefresh(app: App, ctx: Ctx): Promise<void> {
  const record = requireSameCollectionAuth(ctx, pathCollection(app, ctx))
  const refreshable = unverifiedClaims(ctx.token).refreshable
  const renew = refreshable === true || refreshable === 'true' || refreshable === 1
  if (!renew && app.refusesStaticRefresh) throw forbidden('The current auth token is not refreshable.')
  await respondWithAuth(app, ctx, record, '', renew ? {} : { token: ctx.token })
}
