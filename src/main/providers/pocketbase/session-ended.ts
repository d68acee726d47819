/**
 * The one sentence for "the server no longer accepts this token" (a refresh, an action, a profile
 * read) when it says no more than that (401, 404). A renewal's 403 says why (forbidden.ts).
 */
export function sessionEndedMessage(host: string): string {
  return `${host} no longer accepts this session: the password or email may have been changed elsewhere. Sign in again.`
}

/** Statuses with which PocketBase refuses a token that died (tokenKey rotated, record deleted, expired). */
export function isDeadTokenStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 404
}
