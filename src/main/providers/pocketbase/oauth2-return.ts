/**
 * The two ways an OAuth2 provider's answer comes back to Latchkey (the account's "OAuth2 redirect"
 * setting):
 * - through the server (default), the way PocketBase's own clients do it: Latchkey opens the
 *   server's event stream and subscribes to `@oauth2`; the provider sends the browser to the
 *   server's own `/api/oauth2-redirect`, which PocketBase asks administrators to register at every
 *   provider, with the stream's client id as `state`, and the server forwards the answer over the
 *   stream. PocketBase (not BosBase) forwards it only when the browser reaches the server from the
 *   same IP address as the stream.
 * - to this computer: a loopback receiver (RFC 8252) with Latchkey's own random `state`, for
 *   providers registered with a loopback redirect.
 * Either way the answer carries an authorization code: nothing here is logged.
 */
import { randomBytes } from 'node:crypto'
import { AppError } from '../../core/errors.ts'
import { openLoopback } from '../../core/oauth/loopback.ts'
import type { Clock } from '../../core/ports.ts'
import { pocketBaseClient, USER_AGENT } from './client.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt, describeHttp, unreachable } from './errors.ts'
import { openRealtime } from './realtime.ts'
import type { RealtimeStream } from './realtime.ts'

const OAUTH2_TOPIC = '@oauth2'

export interface OAuth2Return {
  /** The redirect_uri the provider sends the browser to (and the server exchanges the code with). */
  redirectURL: string
  /** The `state` of this attempt: an answer with another one is not for it. */
  state: string
  /** Who the browser comes back to, for messages: the server's host, or Latchkey. */
  where: string
  /** The answer's fields (`state`, `code`, `error`); rejects with the AppError to show when the wait ends without one. */
  answer: Promise<unknown>
  close(): void
}

export function openOAuth2Return(settings: PocketBaseSettings, provider: string, timeoutMs: number, clock: Clock): Promise<OAuth2Return> {
  return settings.oauth2Redirect === 'loopback' ? loopbackReturn(timeoutMs, clock) : serverReturn(settings, provider)
}

async function serverReturn(settings: PocketBaseSettings, provider: string): Promise<OAuth2Return> {
  const stream = await openRealtime(settings.url, USER_AGENT).catch(() => {
    throw unreachable(settings.host)
  })
  await subscribe(stream, settings)
  const answer = stream.next(OAUTH2_TOPIC).catch(() => {
    throw new AppError('AUTH_FAILED', `${settings.host} stopped waiting for the sign-in with ${provider}. Start it again.`)
  })
  answer.catch(() => undefined)
  return { redirectURL: `${settings.url}/api/oauth2-redirect`, state: stream.clientId, where: settings.host, answer, close: () => stream.close() }
}

/** Asks the server to forward the OAuth2 answer to this stream. */
async function subscribe(stream: RealtimeStream, settings: PocketBaseSettings): Promise<void> {
  const client = pocketBaseClient(settings, null)
  const answer = await attempt(() => client.pb.send('/api/realtime', { method: 'POST', body: { clientId: stream.clientId, subscriptions: [OAUTH2_TOPIC] } }))
  if (answer.ok) return
  stream.close()
  if (answer.failure.kind === 'unreachable') throw unreachable(settings.host)
  throw new AppError('AUTH_FAILED', `${settings.host} did not let Latchkey wait for the sign-in (${describeHttp(answer.failure)}).`)
}

async function loopbackReturn(timeoutMs: number, clock: Clock): Promise<OAuth2Return> {
  const state = randomBytes(24).toString('base64url')
  const receiver = await openLoopback({ state, timeoutMs, clock })
  const answer = receiver.callback.then((callback) => Object.fromEntries(callback.searchParams))
  answer.catch(() => undefined)
  return { redirectURL: receiver.redirectUri, state, where: 'Latchkey', answer, close: () => receiver.close() }
}
