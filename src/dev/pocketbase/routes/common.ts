/** PocketBase's route middlewares, as functions the handlers call first. */
import type { App } from '../app.ts'
import { forbidden, notFound, REQUIRES_AUTH, unauthorized } from '../errors.ts'
import type { ApiError } from '../errors.ts'
import type { Ctx } from '../http.ts'
import type { AuthRecord, Collection } from '../store.ts'

/** collectionPathRateLimit: the collection named in the path must exist (this answers before any handler). */
export function pathCollection(app: App, ctx: Ctx): Collection {
  const collection = app.store.collection(ctx.params.collection ?? '')
  if (collection === undefined) throw notFound('Missing or invalid collection context.')
  return collection
}

/** The sign-in methods a collection turns on or off, as PocketBase names them in its refusals. */
const METHOD_NAMES = { password: 'password', otp: 'OTP', oauth2: 'OAuth2' } as const

/**
 * The collection named in the path, where it has `method` turned on; where it does not, PocketBase's
 * refusal (403, or what `refuse` makes of its words: a reset request answers 400).
 */
export function pathCollectionAllowing(
  app: App,
  ctx: Ctx,
  method: keyof typeof METHOD_NAMES,
  refuse: (message: string) => ApiError = forbidden,
): Collection {
  const collection = pathCollection(app, ctx)
  if (!collection[method].enabled) throw refuse(`The collection is not configured to allow ${METHOD_NAMES[method]} authentication.`)
  return collection
}

/** RequireSameCollectionContextAuth: 401 for a guest; 403 naming the token's collection when it is another one. */
export function requireSameCollectionAuth(ctx: Ctx, collection: Collection): AuthRecord {
  if (ctx.auth === undefined) throw unauthorized(REQUIRES_AUTH)
  if (ctx.auth.collection !== collection) throw forbidden(`The request requires auth record from ${ctx.auth.collection.name} collection.`)
  return ctx.auth
}

/** RequireSuperuserAuth */
export function requireSuperuser(ctx: Ctx): AuthRecord {
  if (ctx.auth === undefined) throw unauthorized(REQUIRES_AUTH)
  if (!isSuperuser(ctx.auth)) throw forbidden('The authorized record is not allowed to perform this action.')
  return ctx.auth
}

export function isSuperuser(record: AuthRecord | undefined): boolean {
  return record?.collection.name === '_superusers'
}
