/** Turning an answer that set the `auth_session` cookie into a signed-in account. */
import { AppError } from '../../core/errors.ts'
import type { ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import type { TeableAnswer } from './client.ts'
import { teableCall } from './client.ts'
import type { TeableSettings } from './config.ts'
import { cookieSession, credentialView } from './credentials.ts'
import { failure } from './errors.ts'
import { asksForHumanCheck, humanCheckError } from './human-check.ts'
import { identityOf, userFrom } from './user.ts'

/** The answer of signin / signup / mobile exchange: a user and a fresh cookie. */
export async function signedInFrom(settings: TeableSettings, answer: TeableAnswer, ctx: ProviderContext): Promise<SignedIn> {
  const user = userFrom(answer.body)
  if (user === null || answer.cookie === null || answer.cookie === '') {
    throw new AppError('AUTH_FAILED', `${settings.host} accepted the sign-in but sent no session. Is this a Teable server?`)
  }
  const session = cookieSession(answer.cookie, settings, ctx.clock.now())
  ctx.logger.info('teable.signed-in', { host: settings.host })
  return { session, identity: identityOf(user), ...(await credentialView(settings, user, answer.cookie, ctx)) }
}

/** Email + password → signed in. Wrong credentials, a lockout, a server error: each its own sentence. */
export async function passwordSignIn(settings: TeableSettings, email: string, password: string, ctx: ProviderContext): Promise<SignedIn> {
  const result = await teableCall(settings, { method: 'POST', path: '/auth/signin', json: { email: email.trim(), password } })
  if (result.ok && result.answer.status === 200) return signedInFrom(settings, result.answer, ctx)
  if (result.ok && (result.answer.status === 400 || result.answer.status === 401)) {
    if (await asksForHumanCheck(settings)) throw humanCheckError(settings)
    const attempts = (result.answer.body as { data?: { attempts?: unknown } } | null)?.data?.attempts
    const count = typeof attempts === 'number' ? ` (failed attempts so far: ${String(attempts)})` : ''
    throw new AppError('AUTH_FAILED', `Wrong email or password${count}.`, { field: 'password' })
  }
  throw failure(settings, result, ctx.clock, 'signing in')
}
