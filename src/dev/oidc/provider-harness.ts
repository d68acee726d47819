/**
 * Shared set-up for the OpenID Connect provider tests: a real local server, the provider under
 * test, a recording logger, and a record of every secret seen so tests can prove none was logged.
 */
import type { Provider, ProviderContext, BackendConfig, BrowserSignIn } from '../../main/core/provider.ts'
import { systemClock } from '../../main/core/ports.ts'
import type { SignedIn, Session } from '../../main/core/sessions/session.ts'
import { createOidcProvider } from '../../main/providers/oidc/index.ts'
import type { OidcProviderOptions } from '../../main/providers/oidc/index.ts'
import { completeBrowserLogin } from '../browser-login.ts'
import { startOidcServer } from '../oidc-server.ts'
import type { OidcServer, OidcServerOptions } from '../oidc-server.ts'
import { RecordingLogger } from './recording-logger.ts'

export const ALICE = { login: 'alice', password: 'wonderland' }

export interface Harness {
  server: OidcServer
  provider: Provider
  config: BackendConfig
  logger: RecordingLogger
  ctx: ProviderContext
  /** Every token the tests saw; none may appear in a log or an error message. */
  secrets: Set<string>
  stop(): Promise<void>
}

export async function startHarness(options: { server?: OidcServerOptions; provider?: OidcProviderOptions } = {}): Promise<Harness> {
  const server = await startOidcServer(options.server)
  const provider = createOidcProvider(options.provider)
  const logger = new RecordingLogger()
  return {
    server,
    provider,
    config: provider.parseConfig({ issuer: server.issuer, clientId: server.clientId }),
    logger,
    ctx: { clock: systemClock, logger },
    secrets: new Set(),
    stop: () => server.stop(),
  }
}

export async function beginBrowser(harness: Harness, config: BackendConfig = harness.config): Promise<BrowserSignIn<SignedIn>> {
  const start = await harness.provider.beginSignIn(config, harness.ctx)
  if (start.kind !== 'browser') throw new Error('expected a browser sign-in')
  const result = start.result.then((outcome) => {
    if ('kind' in outcome) throw new Error('expected a session, not another step')
    return outcome
  })
  result.catch(() => undefined)
  return { ...start, result }
}

/** A complete sign-in as `user`, through the server's real login and consent pages. */
export async function signIn(harness: Harness, user = ALICE): Promise<SignedIn> {
  const attempt = await beginBrowser(harness)
  await completeBrowserLogin(attempt.url, user)
  const signedIn = await attempt.result
  remember(harness, signedIn.session)
  return signedIn
}

export function remember(harness: Harness, session: Session): void {
  for (const secret of [session.accessToken, session.refreshToken, session.idToken]) {
    if (secret !== null) harness.secrets.add(secret)
  }
}

/** The secrets among `texts` (log lines, error messages); tests expect an empty list. */
export function leakedSecrets(harness: Harness, ...texts: string[]): string[] {
  const haystack = [harness.logger.text(), ...texts].join('\n')
  return [...harness.secrets].filter((secret) => haystack.includes(secret))
}
