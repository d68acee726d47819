/** One argument schema per invoke channel, typed against the contract so the two cannot drift. */
import { z } from 'zod'
import { MAX_PAGE } from '../../shared/account-list.ts'
import { PROVIDER_KINDS } from '../../shared/contract.ts'
import type { Schemas } from './router.ts'

const none = z.union([z.undefined(), z.null()]).transform(() => undefined)
const id = z.string().min(1).max(200)
const byId = z.strictObject({ id })
const byAttempt = z.strictObject({ attemptId: id })
const key = z.string().min(1).max(100)

/** A picture of up to 5 MiB, base64-encoded (4 characters per 3 bytes). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024
const fileValue = z.strictObject({
  name: z.string().max(255),
  type: z.string().max(100),
  base64: z.string().max(Math.ceil(MAX_FILE_BYTES / 3) * 4),
})
/** What a person typed into a form: a few dozen fields at most, one file at most. */
const formValues = z
  .record(key, z.union([z.string().max(10_000), fileValue]))
  .refine((values) => Object.keys(values).length <= 50, 'A form has at most 50 fields.')
  .refine((values) => Object.values(values).filter((v) => typeof v !== 'string').length <= 1, 'A form sends at most one file.')

export const schemas: Schemas = {
  'app:state': none,
  'app:dismissNotice': byId,
  'app:retryKeychain': none,
  'app:noticeAction': byId,
  'backends:list': none,
  'accounts:list': z.strictObject({
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    limit: z.number().int().min(1).max(MAX_PAGE),
    query: z.string().max(500).optional(),
    grouped: z.boolean().optional(),
  }),
  'accounts:detail': byId,
  'accounts:rename': z.strictObject({ id, label: z.string().max(500) }),
  'accounts:switch': byId,
  'accounts:remove': z.strictObject({ id, cleanUp: z.boolean().optional() }),
  'accounts:refresh': z.strictObject({ id, check: z.boolean().optional() }),
  'accounts:copyToken': z.strictObject({ id, kind: z.enum(['access', 'id']) }),
  'accounts:actions': byId,
  'accounts:runAction': z.strictObject({ id, form: key, action: key, values: formValues }),
  'auth:begin': z.strictObject({
    kind: z.enum(PROVIDER_KINDS),
    config: z.record(z.string().max(100), z.string().max(4096)),
    label: z.string().max(500).optional(),
  }),
  'auth:reauth': byId,
  'auth:complete': byAttempt,
  'auth:continue': z.strictObject({ attemptId: id, action: key, values: formValues }),
  'auth:cancel': byAttempt,
  'auth:openAgain': byAttempt,
  'auth:signOut': byId,
  'cli:access': byId,
  'cli:setAccess': z.strictObject({ id, allowed: z.boolean() }),
  'cli:revokeAll': byId,
  'cli:answer': z.strictObject({ id, answer: z.enum(['once', 'always', 'deny']) }),
}
