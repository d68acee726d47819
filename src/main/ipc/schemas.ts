/** One argument schema per invoke channel, typed against the contract so the two cannot drift. */
import { z } from 'zod'
import { PROVIDER_KINDS } from '../../shared/contract.ts'
import type { Schemas } from './router.ts'

const none = z.union([z.undefined(), z.null()]).transform(() => undefined)
const id = z.string().min(1).max(200)
const byId = z.strictObject({ id })
const byAttempt = z.strictObject({ attemptId: id })

export const schemas: Schemas = {
  'app:state': none,
  'app:dismissNotice': byId,
  'app:retryKeychain': none,
  'backends:list': none,
  'accounts:list': none,
  'accounts:detail': byId,
  'accounts:rename': z.strictObject({ id, label: z.string().max(500) }),
  'accounts:switch': byId,
  'accounts:remove': byId,
  'accounts:refresh': byId,
  'accounts:copyToken': z.strictObject({ id, kind: z.enum(['access', 'id']) }),
  'auth:begin': z.strictObject({
    kind: z.enum(PROVIDER_KINDS),
    config: z.record(z.string().max(100), z.string().max(4096)),
    label: z.string().max(500).optional(),
  }),
  'auth:reauth': byId,
  'auth:complete': byAttempt,
  'auth:cancel': byAttempt,
  'auth:signOut': byId,
}
