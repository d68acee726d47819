/** POST /api/collections/{collection}/impersonate/{id} (superusers only): a static, non-refreshable token for another record. */
import { staticToken } from '../app.ts'
import type { App } from '../app.ts'
import { respondWithAuth } from '../auth-response.ts'
import { bindInteger } from '../body.ts'
import { ApiError, fieldError, notFound, VALIDATION_FAILED } from '../errors.ts'
import type { Ctx } from '../http.ts'
import { requireSuperuser } from './common.ts'

export async function impersonate(app: App, ctx: Ctx): Promise<void> {
  requireSuperuser(ctx)
  const collection = app.store.collection(ctx.params.collection ?? '')
  if (collection === undefined) throw notFound('Missing or invalid auth collection context.')
  const record = app.store.find(collection, ctx.params.id ?? '')
  if (record === undefined) throw notFound()
  const duration = bindInteger(await ctx.body(), 'duration')
  if (duration < 0) {
    throw new ApiError(400, VALIDATION_FAILED, {
      duration: fieldError('validation_min_greater_equal_than_required', 'Must be no less than 0.', { threshold: 0 }),
    })
  }
  await respondWithAuth(app, ctx, record, '', { token: staticToken(app, record, duration) })
}
