/** The user as `/api/auth/user/me` and the sign-in routes show it (IUserMeVo), and the anonymous one. */
import type { TeableState, User } from './state.ts'

export function userMe(state: TeableState, user: User): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    avatar: avatarUrl(state, user),
    email: user.email,
    notifyMeta: { ...user.notifyMeta },
    hasPassword: user.password !== null,
    isAdmin: false,
  }
}

/** What the anonymous strategy answers when no session (or a dead one) came with the request. */
export const ANONYMOUS_USER = { id: 'anonymous', name: 'Anonymous', email: 'anonymous@system.teable.ai', notifyMeta: {}, hasPassword: false, isAdmin: false }

export function avatarUrl(state: TeableState, user: User): string | null {
  return user.avatar === null ? null : `${state.url}/api/attachments/read/public/avatar/${user.id}?v=${String(user.avatar.version)}`
}
