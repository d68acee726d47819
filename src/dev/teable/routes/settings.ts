/**
 * The instance's public settings (`GET /api/admin/setting/public`, setting controller): what the
 * sign-in page needs to know before anyone signs in, among them the Turnstile site key (null when
 * the human check is off).
 */
import { route } from './table.ts'

export const SETTING_ROUTES = [
  route('GET', '/api/admin/setting/public', (state, ctx) => {
    ctx.send(200, {
      instanceId: state.instanceId,
      disallowSignUp: null,
      disallowSpaceCreation: null,
      disallowSpaceInvitation: null,
      enableEmailVerification: state.options.emailVerification !== false,
      enableWaitlist: null,
      createdTime: new Date(state.startedAt).toISOString(),
      aiConfig: null,
      turnstileSiteKey: state.options.turnstileSiteKey ?? null,
    })
  }),
]
