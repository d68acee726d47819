import PocketBase from 'pocketbase'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onUsualPort, startDemo, type Demo } from './demo.ts'

let demo: Demo
const printed: string[] = []
beforeAll(async () => {
  demo = await startDemo({ ports: { oidc: 0, pocketbase: 0, bosbase: 0, teable: 0, synmetrix: 0, authing: 0, supabase: 0 }, printMail: (line) => printed.push(line) })
})
afterAll(() => demo.stop())

describe('npm run demo', () => {
  it('offers the OpenID Connect server, PocketBase (users and superusers) and BosBase as presets', () => {
    expect(demo.presets.map((p) => [p.kind, p.name])).toEqual([
      ['oidc', 'Demo OpenID Connect server'],
      ['pocketbase', 'Demo PocketBase'],
      ['pocketbase', 'Demo PocketBase superusers'],
      ['pocketbase', 'Demo BosBase'],
      ['teable', 'Demo Teable'],
      ['synmetrix', 'Demo Synmetrix'],
      ['authing', 'Demo Authing'],
      ['supabase', 'Demo Supabase'],
    ])
    expect(demo.describe().join('\n')).toContain('grace@example.test / cobol-1959 (asks for a second step)')
  })

  it('its PocketBase signs the demo users in, and prints the emailed code a newcomer needs', async () => {
    const url = demo.presets.find((p) => p.name === 'Demo PocketBase')?.config.url ?? ''
    const pb = new PocketBase(url)
    pb.autoCancellation(false)
    const auth = await pb.collection('users').authWithPassword('ada@example.test', 'lovelace-1815')
    expect(demo.issuedTokens()).toContain(auth.token)
    await pb.collection('users').requestOTP('ada@example.test')
    expect(printed.at(-1)).toMatch(/^\[demo PocketBase email to ada@example\.test\] .*: code \d{8}$/)
  })

  it('its Teable signs the demo users in and prints the sign-up code a newcomer needs', async () => {
    const url = demo.presets.find((p) => p.name === 'Demo Teable')?.config.url ?? ''
    const signin = await fetch(`${url}/api/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'tea@example.test', password: 'earlgrey-1907' }) })
    expect(signin.status).toBe(200)
    expect(demo.describe().join('\n')).toContain('tea@example.test / earlgrey-1907')
    const signup = await fetch(`${url}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'newcomer@example.test', password: 'newcomer-1' }) })
    expect(signup.status).toBe(422)
    expect(printed.at(-1)).toMatch(/^\[demo Teable email to newcomer@example\.test\] .*: code \d{4}$/)
  })

  it('its Synmetrix signs the demo users in, prints the MFA user’s authenticator secret and the emailed sign-in link', async () => {
    const url = demo.presets.find((p) => p.name === 'Demo Synmetrix')?.config.url ?? ''
    const answer = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@synmetrix-demo.com', password: 'lovelace-1815', cookie: false }),
    })
    const body = (await answer.json()) as { jwt_token: string }
    expect(demo.issuedTokens()).toContain(body.jwt_token)
    expect(demo.describe().join('\n')).toContain('grace@synmetrix-demo.com / cobol-1959 (asks for an authenticator code)')
    expect(demo.describe().join('\n')).toMatch(/Authenticator secret for the second one: [A-Z2-7]{16,}/)
    await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@synmetrix-demo.com', cookie: false }) })
    expect(printed.at(-1)).toMatch(/^\[demo Synmetrix email to ada@synmetrix-demo\.com\] Magic link to log in: http:\/\/127\.0\.0\.1:\d+\/auth\/magic-link\?action=log-in&token=[0-9a-f-]{36}$/)
  })

  it('its Authing app publishes its password key, names the MFA user with the authenticator secret, and prints texted codes', async () => {
    const preset = demo.presets.find((p) => p.name === 'Demo Authing')?.config ?? {}
    const key = (await (await fetch(`${preset.appHost ?? ''}/api/v2/.well-known`)).json()) as { data: { publicKey: string } }
    expect(key.data.publicKey).toContain('BEGIN PUBLIC KEY')
    expect(preset.redirectPort).toBe('47416')
    expect(demo.describe().join('\n')).toContain('grace@example.test / cobol-1959 (asks for an authenticator code)')
    expect(demo.describe().join('\n')).toMatch(/Authenticator secret for the second one: JBSWY3DPEHPK3PXP/)
    const sent = await fetch(`${preset.appHost ?? ''}/api/v2/sms/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '13800000001' }) })
    expect(((await sent.json()) as { code: number }).code).toBe(200)
    expect(printed.at(-1)).toMatch(/^\[demo Authing text message to 13800000001\] code \d{4}$/)
  })

  it('its Supabase Auth signs the demo users in (one asks for an authenticator code, whose secret is printed)', async () => {
    const { url, apiKey } = demo.presets.find((p) => p.name === 'Demo Supabase')?.config ?? {}
    const headers = { apikey: apiKey ?? '', 'content-type': 'application/json' }
    const answer = await fetch(`${url ?? ''}/token?grant_type=password`, { method: 'POST', headers, body: JSON.stringify({ email: 'marie@example.test', password: 'radium-1898' }) })
    const session = (await answer.json()) as { access_token: string; user: { factors: { status: string }[] } }
    expect(session.user.factors.map((factor) => factor.status)).toEqual(['verified'])
    expect(demo.issuedTokens()).toContain(session.access_token)
    expect(demo.describe().join('\n')).toContain('secret of the account that asks for a code: JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    await fetch(`${url ?? ''}/otp`, { method: 'POST', headers, body: JSON.stringify({ email: 'rosalind@example.test' }) })
    expect(printed.at(-1)).toMatch(/^\[demo Supabase email to rosalind@example\.test\] .*Code: \d{6}/)
  })
})

describe('a demo server’s port', () => {
  it('is its usual one where it can have it, else any free one', async () => {
    const tried: number[] = []
    const start = (port: number): Promise<number> => {
      tried.push(port)
      return port === 47410 ? Promise.reject(new Error('listen EADDRINUSE')) : Promise.resolve(port)
    }
    expect(await onUsualPort(47999, start)).toBe(47999)
    expect(await onUsualPort(47410, start)).toBe(0)
    expect(tried).toEqual([47999, 47410, 0])
  })
})
