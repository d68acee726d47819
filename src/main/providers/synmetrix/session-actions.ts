/**
 * Ending sessions beyond this device. HBP can delete refresh tokens but never revoke a JWT:
 *   - sign out on all devices: POST /auth/logout {all: true} with our refresh token (HBP finds the user
 *     through it, and silently does nothing if it is no longer valid), then POST /auth/token/revoke with
 *     our JWT, which deletes every refresh token of the user whatever ours is; Latchkey forgets the session;
 *   - revoke all refresh tokens: /auth/token/revoke only; Latchkey keeps the JWT until it expires.
 */
import { utcMinute } from '../../core/iso-time.ts'
import type { ActionResult } from '../../core/provider.ts'
import type { ActionInput } from './account-actions.ts'
import { call } from './account-actions.ts'
import { hbp } from './client.ts'
import { isRefreshToken } from './session.ts'

function until(input: ActionInput): string {
  const expiresAt = input.account.session.expiresAt
  return expiresAt === null ? 'until they expire' : `until they expire (this device’s until ${utcMinute(expiresAt)})`
}

export async function signOutEverywhere(input: ActionInput): Promise<ActionResult> {
  const { settings, account, ctx } = input
  const token = account.session.refreshToken
  if (token !== null && isRefreshToken(token)) {
    await hbp(settings, { method: 'POST', path: '/logout', query: { refresh_token: token }, json: { all: true } })
  }
  const expired = account.session.expiresAt !== null && account.session.expiresAt <= ctx.clock.now()
  if (!expired) await call(input, { method: 'POST', path: '/token/revoke' })
  ctx.logger.info('synmetrix.signout.everywhere', { host: settings.host })
  const note = `Access tokens already issued stay valid ${until(input)}: HBP cannot revoke them.`
  return { message: `Signed out on all devices. ${note}`, sessionEnded: `Signed out on all devices. ${note} Sign in again to use this account.` }
}

export async function revokeRefreshTokens(input: ActionInput): Promise<ActionResult> {
  await call(input, { method: 'POST', path: '/token/revoke' })
  input.ctx.logger.info('synmetrix.tokens.revoked', { host: input.settings.host })
  const session = { ...input.account.session, refreshToken: null }
  return { message: `Every refresh token of this account is revoked; no device can renew its session. Access tokens already issued stay valid ${until(input)}.`, session }
}
