/**
 * Which of the two credentials a Teable session holds: the cookie session or a personal access
 * token. No imports: the `latchkey` command hands out a token on its hot path.
 */
import type { Session } from '../../core/sessions/session.ts'

export const COOKIE_TOKEN_TYPE = 'cookie'
export const PAT_TOKEN_TYPE = 'pat'

export function isTokenSession(session: Session): boolean {
  return session.tokenType === PAT_TOKEN_TYPE
}
