import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AuthClient, type GoTrueClient } from '@supabase/auth-js'
import { AuthenticationClient } from 'authing-js-sdk'
import PocketBase from 'pocketbase'
import { afterAll, describe, expect, it } from 'vitest'
import { systemClock } from '../main/core/ports.ts'
import { recordingLogger } from '../main/core/testing/recording-logger.ts'
import { createOidcProvider } from '../main/providers/oidc/index.ts'
import { completeBrowserLogin } from './browser-login.ts'
import { startDemo, type Demo } from './demo.ts'
import { freePorts } from './free-port.ts'

const running: Demo[] = []
const folders: string[] = []
afterAll(async () => {
  await Promise.all(running.map((demo) => demo.stop()))
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })))
})

describe('the demo servers across a restart', () => {
  it('keep every server\'s sessions, record ids and tokens valid (OpenID Connect, PocketBase, Teable, Synmetrix, Authing, Supabase), in owner-only files', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'latchkey-demo-state-'))
    folders.push(stateDir)
    const ports = await freePorts(['oidc', 'pocketbase', 'bosbase', 'teable', 'synmetrix', 'authing', 'supabase'])
    const first = await startDemo({ ports, stateDir })
    const others = await signInEverywhere(first)
    const url = first.presets.find((preset) => preset.name === 'Demo PocketBase')?.config.url ?? ''
    const pb = new PocketBase(url)
    const ada = await pb.collection('users').authWithPassword('ada@example.test', 'lovelace-1815')
    expect(ada.record.id).toBe('ada000000000001')
    await pb.collection('users').update(ada.record.id, { name: 'Ada, Countess of Lovelace' })

    const provider = createOidcProvider()
    const ctx = { clock: systemClock, logger: recordingLogger() }
    const oidcConfig = provider.parseConfig(first.presets.find((preset) => preset.kind === 'oidc')?.config ?? {})
    const start = await provider.beginSignIn(oidcConfig, ctx)
    if (start.kind !== 'browser') throw new Error('expected a browser sign-in')
    await completeBrowserLogin(start.url, { login: 'alice', password: 'wonderland' })
    const alice = await start.result
    if ('kind' in alice) throw new Error('expected a session')
    await first.stop()
    // Let the client's connection pool see the old servers' sockets close.
    await new Promise((resolve) => setTimeout(resolve, 100))

    const second = await startDemo({ ports, stateDir })
    running.push(second)
    const again = new PocketBase(second.presets.find((preset) => preset.name === 'Demo PocketBase')?.config.url ?? '')
    again.authStore.save(ada.token, ada.record)
    const renewed = await again.collection('users').authRefresh()
    expect(renewed.record).toMatchObject({ id: 'ada000000000001', name: 'Ada, Countess of Lovelace' })
    const refreshed = await provider.refresh(provider.parseConfig(second.presets.find((preset) => preset.kind === 'oidc')?.config ?? {}), alice.session, ctx)
    expect(refreshed.session.accessToken).not.toBe(alice.session.accessToken)
    await expectStillSignedIn(second, others)

    for (const name of ['oidc', 'pocketbase', 'bosbase', 'teable', 'synmetrix', 'authing', 'supabase']) expect((await stat(join(stateDir, `${name}.json`))).mode & 0o777).toBe(0o600)
  })
})

function presetOf(demo: Demo, kind: string): Record<string, string> {
  const preset = demo.presets.find((candidate) => candidate.kind === kind)
  if (preset === undefined) throw new Error(`no ${kind} preset`)
  return preset.config
}

interface Sessions {
  teableCookie: string
  synmetrixRefresh: string
  authingToken: string
  supabaseRefresh: string
}

/** A session on each of the newer demo servers, each with its own client (official SDKs where there is one). */
async function signInEverywhere(demo: Demo): Promise<Sessions> {
  const teable = await fetch(`${presetOf(demo, 'teable').url ?? ''}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'tea@example.test', password: 'earlgrey-1907' }),
  })
  const teableCookie = /auth_session=[^;]+/.exec(teable.headers.get('set-cookie') ?? '')?.[0] ?? ''
  expect(teableCookie).not.toBe('')
  const synmetrix = await fetch(`${presetOf(demo, 'synmetrix').url ?? ''}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@synmetrix-demo.com', password: 'lovelace-1815', cookie: false }),
  })
  const synmetrixRefresh = ((await synmetrix.json()) as { refresh_token?: string }).refresh_token ?? ''
  expect(synmetrixRefresh).not.toBe('')
  const authing = await authingClient(demo).loginByEmail('ada@example.test', 'lovelace-1815')
  const supabase = await supabaseClient(demo).signInWithPassword({ email: 'rosalind@example.test', password: 'double-helix-1953' })
  if (supabase.error) throw supabase.error
  return { teableCookie, synmetrixRefresh, authingToken: authing.token ?? '', supabaseRefresh: supabase.data.session.refresh_token }
}

function authingClient(demo: Demo): AuthenticationClient {
  const { appId = '', appHost = '' } = presetOf(demo, 'authing')
  return new AuthenticationClient({ appId, appHost, lang: 'en-US' })
}

function supabaseClient(demo: Demo): GoTrueClient {
  const { url = '', apiKey = '' } = presetOf(demo, 'supabase')
  return new AuthClient({ url, headers: { apikey: apiKey }, persistSession: false, autoRefreshToken: false })
}

async function expectStillSignedIn(demo: Demo, sessions: Sessions): Promise<void> {
  const teable = await fetch(`${presetOf(demo, 'teable').url ?? ''}/api/auth/user`, { headers: { cookie: sessions.teableCookie } })
  expect(teable.status).toBe(200)
  expect(await teable.json()).toMatchObject({ email: 'tea@example.test' })
  const synmetrix = await fetch(`${presetOf(demo, 'synmetrix').url ?? ''}/auth/token/refresh?refresh_token=${sessions.synmetrixRefresh}`)
  expect(synmetrix.status).toBe(200)
  expect(await synmetrix.json()).toMatchObject({ user: { email: 'ada@synmetrix-demo.com' } })
  const status = await authingClient(demo).checkLoginStatus(sessions.authingToken)
  expect(status).toMatchObject({ status: true })
  const supabase = await supabaseClient(demo).refreshSession({ refresh_token: sessions.supabaseRefresh })
  expect(supabase.error).toBeNull()
  expect(supabase.data.user?.email).toBe('rosalind@example.test')
}
