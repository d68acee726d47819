/** The user as Teable describes it (IUserMeVo, or `/auth/user` for a token), read strictly. */
import { z } from 'zod'
import type { Identity } from '../../core/sessions/session.ts'

const userMeSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  email: z.string().optional(),
  avatar: z.string().nullable().optional(),
  notifyMeta: z.object({ email: z.boolean().optional() }).partial().nullable().optional(),
  hasPassword: z.boolean().optional(),
})

export type TeableUser = z.infer<typeof userMeSchema>

/** The user in a 200 answer; null when it is not a user at all, or the anonymous one (a dead session). */
export function userFrom(body: unknown): TeableUser | null {
  const parsed = userMeSchema.safeParse(body)
  if (!parsed.success || parsed.data.id === 'anonymous') return null
  return parsed.data
}

export function identityOf(user: TeableUser): Identity {
  return { subject: user.id, name: user.name === '' ? null : user.name, email: user.email ?? null }
}
