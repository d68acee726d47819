import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../browser-login.ts'
import { startOidcServer } from '../oidc-server.ts'
import type { OidcServer } from '../oidc-server.ts'
import { DEMO_POCKETBASE_OIDC_CLIENT } from './demo-users.ts'
import { s256Challenge } from './oauth2.ts'
import { startPocketBaseEmulator } from './server.ts'
import type { PocketBaseEmulator, PocketBaseEmulatorOptions, PocketBaseMode } from './server.ts'
import { failure, raw, sdk } from './test-support.ts'

const CLIENT = DEMO_POCKETBASE_OIDC_CLIENT
const ALICE = { login: 'alice', password: 'wonderland' }
const BOB = { login: 'bob', password: 'canwefixit' }

let oidc: OidcServer
const started: PocketBaseEmulator[] = []
beforeAll(async () => {
  oidc = await startOidcServer({ extraClients: [CLIENT] })
})
afterAll(async () => {
  await Promise.all(started.map((emulator) => emulator.stop()))
  await oidc.stop()
})

async function start(options: PocketBaseEmulatorOptions = {}): Promise<PocketBaseEmulator> {
  const emulator = await startPocketBaseEmulator({
    upstream: { issuer: oidc.issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret },
    ...options,
  })
  started.push(emulator)
  return emulator
}

/** The app's one-time loopback receiver: resolves with the URL the browser was sent back to. */
async function loopbackReceiver(): Promise<{ redirectURL: string; callback: Promise<URL> }> {
  let resolve: (url: URL) => void = () => undefined
  const callback = new Promise<URL>((done) => (resolve = done))
  const server = createServer((request, response) => {
    response.end('You can close this window.')
    server.close()
    resolve(new URL(request.url ?? '/', 'http://127.0.0.1'))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { redirectURL: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/callback`, callback }
}

interface Provider {
  name: string
  state: string
  authURL: string
  codeVerifier: string
  codeChallenge: string
  codeChallengeMethod: string
}

async function provider(emulator: PocketBaseEmulator): Promise<Provider> {
  const methods = await sdk(emulator).collection('users').listAuthMethods()
  const found = methods.oauth2.providers[0]
  if (found === undefined) throw new Error('no provider')
  return found
}

/** The loopback flow: browser sign-in at the upstream, code back on 127.0.0.1, PocketBase swaps it. */
async function browserCode(emulator: PocketBaseEmulator, user = ALICE): Promise<{ code: string; redirectURL: string; info: Provider }> {
  const info = await provider(emulator)
  const { redirectURL, callback } = await loopbackReceiver()
  await completeBrowserLogin(info.authURL + encodeURIComponent(redirectURL), user)
  const back = await callback
  expect(back.searchParams.get('state')).toBe(info.state)
  return { code: back.searchParams.get('code') ?? '', redirectURL, info }
}

describe('OAuth2 against a real OpenID Connect server', () => {
  it('lists the provider with a server-made state and PKCE pair, and an authURL ending in redirect_uri=', async () => {
    const emulator = await start()
    const { body } = await raw(emulator, 'GET', '/api/collections/users/auth-methods')
    const listed = body as { oauth2: { enabled: boolean; providers: (Provider & Record<string, unknown>)[] }; authProviders: unknown }
    expect(listed.oauth2.enabled).toBe(true)
    const [info] = listed.oauth2.providers
    expect(info).toMatchObject({ name: 'oidc', displayName: 'OIDC', logo: '', codeChallengeMethod: 'S256' })
    expect(listed.authProviders).toEqual(listed.oauth2.providers)
    expect(info?.state).toMatch(/^[a-zA-Z0-9]{30}$/)
    expect(info?.codeVerifier).toMatch(/^[a-zA-Z0-9]{43}$/)
    expect(info?.codeChallenge).toBe(s256Challenge(info?.codeVerifier ?? ''))
    expect(info?.authURL.endsWith('&redirect_uri=')).toBe(true)
    const url = new URL(info?.authURL ?? '')
    expect(`${url.origin}${url.pathname}`).toBe(`${oidc.issuer}/auth`)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT.client_id,
      code_challenge: info?.codeChallenge,
      code_challenge_method: 'S256',
      response_type: 'code',
      scope: 'openid email profile',
      state: info?.state,
      redirect_uri: '',
    })
  })

  it('signs a new person in with the SDK\'s authWithOAuth2Code, creating a verified user, then finds them again', async () => {
    const emulator = await start()
    const first = await browserCode(emulator)
    const pb = sdk(emulator)
    const auth = await pb.collection('users').authWithOAuth2Code('oidc', first.code, first.info.codeVerifier, first.redirectURL)
    expect(auth.record).toMatchObject({ email: 'alice@example.test', name: 'Alice Liddell', verified: true })
    expect(auth.meta).toMatchObject({ isNew: true, id: 'alice', email: 'alice@example.test', name: 'Alice Liddell', username: 'alice', avatarURL: '' })
    expect(oidc.issuedTokens()).toContain(auth.meta?.accessToken)
    expect(emulator.issuedTokens()).toEqual([auth.token])
    const again = await browserCode(emulator)
    const second = await sdk(emulator).collection('users').authWithOAuth2Code('oidc', again.code, again.info.codeVerifier, again.redirectURL)
    expect(second.meta?.isNew).toBe(false)
    expect(second.record.id).toBe(auth.record.id)
  })

  it('links an existing unverified account by the verified email, verifying it and replacing its password', async () => {
    const emulator = await start({ users: [{ email: 'bob@example.test', password: 'squatted-pass', verified: false }] })
    const { code, info, redirectURL } = await browserCode(emulator, BOB)
    const auth = await sdk(emulator).collection('users').authWithOAuth2Code('oidc', code, info.codeVerifier, redirectURL)
    expect(auth.meta?.isNew).toBe(false)
    expect(auth.record).toMatchObject({ email: 'bob@example.test', verified: true })
    expect((await failure(sdk(emulator).collection('users').authWithPassword('bob@example.test', 'squatted-pass'))).status).toBe(400)
  })

  it('drops the OAuth2 links and the tokens of a linked account that gets verified again', async () => {
    const emulator = await start()
    const first = await browserCode(emulator)
    const signedIn = await sdk(emulator).collection('users').authWithOAuth2Code('oidc', first.code, first.info.codeVerifier, first.redirectURL)
    const root = sdk(emulator)
    await root.collection('_superusers').authWithPassword('root@example.test', 'superuser-pass')
    await root.collection('users').update(signedIn.record.id, { verified: false })
    expect((await raw(emulator, 'POST', '/api/collections/users/auth-refresh', { token: signedIn.token })).status).toBe(200)
    const users = sdk(emulator).collection('users')
    await users.requestVerification('alice@example.test')
    await users.confirmVerification(emulator.outbox.last('alice@example.test', 'verification')?.token ?? '')
    expect((await raw(emulator, 'POST', '/api/collections/users/auth-refresh', { token: signedIn.token })).status).toBe(401)
  })

  it('answers 400 when the provider refuses the code: reused, or with the wrong verifier or redirect', async () => {
    const emulator = await start()
    const users = sdk(emulator).collection('users')
    const refused = { status: 400, message: 'Failed to fetch OAuth2 token.', data: {} }
    const wrongVerifier = await browserCode(emulator)
    expect((await failure(users.authWithOAuth2Code('oidc', wrongVerifier.code, 'x'.repeat(43), wrongVerifier.redirectURL))).response).toEqual(refused)
    const wrongRedirect = await browserCode(emulator)
    expect((await failure(users.authWithOAuth2Code('oidc', wrongRedirect.code, wrongRedirect.info.codeVerifier, 'http://127.0.0.1:9/elsewhere'))).response).toEqual(refused)
    const good = await browserCode(emulator)
    await users.authWithOAuth2Code('oidc', good.code, good.info.codeVerifier, good.redirectURL)
    expect((await failure(users.authWithOAuth2Code('oidc', good.code, good.info.codeVerifier, good.redirectURL))).response).toEqual(refused)
  })

  it('rejects an unknown provider, and needs redirectURL in BosBase only', async () => {
    for (const mode of ['pocketbase', 'bosbase'] as PocketBaseMode[]) {
      const emulator = await start({ mode })
      const users = sdk(emulator).collection('users')
      expect((await failure(users.authWithOAuth2Code('github', 'code', 'verifier', 'http://127.0.0.1/callback'))).response).toEqual({
        status: 400,
        message: 'An error occurred while loading the submitted data.',
        data: { provider: { code: 'validation_invalid_provider', message: 'Provider with name github is missing or is not enabled.', params: { name: 'github' } } },
      })
      const noRedirect = await failure(users.authWithOAuth2Code('oidc', 'code', 'verifier', ''))
      if (mode === 'bosbase') expect(noRedirect.response).toMatchObject({ data: { redirectURL: { code: 'validation_required' } } })
      else expect(noRedirect.response).toMatchObject({ message: 'Failed to fetch OAuth2 token.' })
      const listed = await provider(emulator)
      expect('logo' in listed).toBe(mode === 'pocketbase')
    }
  })

  it('is off without an upstream, and always for superusers', async () => {
    const plain = await startPocketBaseEmulator()
    started.push(plain)
    const off = { status: 403, message: 'The collection is not configured to allow OAuth2 authentication.', data: {} }
    expect((await failure(sdk(plain).collection('users').authWithOAuth2Code('oidc', 'c', 'v', 'http://127.0.0.1/callback'))).response).toEqual(off)
    const emulator = await start()
    expect((await failure(sdk(emulator).collection('_superusers').authWithOAuth2Code('oidc', 'c', 'v', 'http://127.0.0.1/callback'))).response).toEqual(off)
  })
})

/** Reads server-sent events from a fetch stream. */
function eventReader(body: ReadableStream<Uint8Array>): () => Promise<{ event: string; data: unknown }> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  return async () => {
    while (!buffer.includes('\n\n')) {
      const { value, done } = await reader.read()
      if (done) throw new Error('The event stream ended.')
      buffer += decoder.decode(value, { stream: true })
    }
    const end = buffer.indexOf('\n\n')
    const block = buffer.slice(0, end)
    buffer = buffer.slice(end + 2)
    const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}:`))?.slice(name.length + 1) ?? ''
    return { event: field('event'), data: JSON.parse(field('data')) as unknown }
  }
}

describe('the realtime OAuth2 flow', () => {
  it('forwards the code from /api/oauth2-redirect to the subscribed event stream', async () => {
    const emulator = await start()
    const abort = new AbortController()
    const stream = await fetch(`${emulator.url}/api/realtime`, { signal: abort.signal })
    expect(stream.headers.get('content-type')).toBe('text/event-stream')
    const next = eventReader(stream.body ?? new ReadableStream())
    const connect = await next()
    expect(connect.event).toBe('PB_CONNECT')
    const { clientId } = connect.data as { clientId: string }
    expect((await raw(emulator, 'POST', '/api/realtime', { json: { clientId, subscriptions: ['@oauth2'] } })).status).toBe(204)

    const info = await provider(emulator)
    const redirectURL = `${emulator.url}/api/oauth2-redirect`
    const authURL = new URL(info.authURL + encodeURIComponent(redirectURL))
    authURL.searchParams.set('state', clientId)
    await completeBrowserLogin(authURL.toString(), ALICE)
    const message = await next()
    expect(message.event).toBe('@oauth2')
    const { state, code } = message.data as { state: string; code: string }
    expect(state).toBe(clientId)
    const auth = await sdk(emulator).collection('users').authWithOAuth2Code('oidc', code, info.codeVerifier, redirectURL)
    expect(auth.record.email).toBe('alice@example.test')
    expect(emulator.requests()).toContainEqual({ method: 'GET', path: '/api/oauth2-redirect', status: 307 })
    // One answer per subscription: a second one for the same client goes to the failure page.
    const again = await fetch(`${redirectURL}?state=${clientId}&code=again`, { redirect: 'manual' })
    expect(again.headers.get('location')).toBe('/_/#/auth/oauth2-redirect-failure')
    abort.abort()
  })

  it('sends the browser to the failure page for an unknown state', async () => {
    const emulator = await start()
    const response = await fetch(`${emulator.url}/api/oauth2-redirect?state=nobody&code=x`, { redirect: 'manual' })
    expect(response.status).toBe(307)
    expect(response.headers.get('location')).toBe('/_/#/auth/oauth2-redirect-failure')
  })
})
