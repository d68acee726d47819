import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { completeBrowserLogin } from './browser-login.ts'
import { ALICE, beginBrowser, signIn, startHarness } from './oidc/provider-harness.ts'
import type { Harness } from './oidc/provider-harness.ts'
import type { BrowserSignIn } from '../main/core/provider.ts'
import { CookieJar } from './oidc/cookie-jar.ts'

const consoleWarn = vi.spyOn(console, 'warn')
const consoleInfo = vi.spyOn(console, 'info')

let harness: Harness
beforeAll(async () => {
  harness = await startHarness({
    server: {
      users: [
        { id: 'alice', password: 'wonderland', name: 'Alice Liddell', email: 'alice@example.test' },
        { id: 'mallory', password: 'pw', name: '<b>Mallory</b>', email: 'mallory@example.test' },
      ],
    },
  })
})
afterAll(async () => {
  await harness.stop()
})

interface Visit {
  html: string
  url: URL
}

/** Like a browser: sends cookies, follows redirects, stops at the first page. Stops before the app's loopback. */
async function browse(jar: CookieJar, start: URL, form?: Record<string, string>): Promise<Visit> {
  let url = start
  let body: URLSearchParams | undefined = form === undefined ? undefined : new URLSearchParams(form)
  for (;;) {
    const response = await fetch(url, { method: body === undefined ? 'GET' : 'POST', body, headers: { cookie: jar.header(url) }, redirect: 'manual' })
    jar.store(url, response.headers.getSetCookie())
    const location = response.headers.get('location')
    if (location === null) return { html: await response.text(), url }
    await response.text()
    url = new URL(location, url)
    body = undefined
    if (url.origin !== harness.server.issuer) return { html: '', url }
  }
}

function actionOf(visit: Visit, step: string): URL {
  const action = new RegExp(`<form method="post" action="([^"]+)" data-step="${step}"`).exec(visit.html)?.[1]
  if (action === undefined) throw new Error(`no ${step} form`)
  return new URL(action, visit.url)
}

async function openLoginPage(): Promise<{ visit: Visit; jar: CookieJar; attempt: BrowserSignIn }> {
  const attempt = await beginBrowser(harness)
  attempt.result.catch(() => undefined)
  const jar = new CookieJar()
  return { visit: await browse(jar, new URL(attempt.url)), jar, attempt }
}

describe('the local OpenID Connect server', () => {
  it('shows a login form and asks again after a wrong password', async () => {
    const { visit, jar, attempt } = await openLoginPage()
    expect(visit.html).toContain('name="login"')
    expect(visit.html).toContain('name="password"')
    const again = await browse(jar, actionOf(visit, 'login'), { login: 'alice', password: 'nope' })
    expect(again.html).toContain('Wrong username or password.')
    expect(again.html).toContain('value="alice"')
    attempt.cancel()
  })

  it('finishes with access_denied when the person presses Cancel on the login page', async () => {
    const { visit, jar, attempt } = await openLoginPage()
    const back = await browse(jar, actionOf(visit, 'abort'), {})
    expect(back.url.searchParams.get('error')).toBe('access_denied')
    await fetch(back.url)
    await expect(attempt.result).rejects.toMatchObject({ code: 'AUTH_DENIED' })
  })

  it('escapes what it renders', async () => {
    const { visit, jar, attempt } = await openLoginPage()
    const consent = await browse(jar, actionOf(visit, 'login'), { login: 'mallory', password: 'pw' })
    expect(consent.html).toContain('Allow')
    expect(consent.html).toContain('&lt;b&gt;Mallory&lt;/b&gt;')
    expect(consent.html).not.toContain('<b>Mallory</b>')
    attempt.cancel()
  })

  it('asks for the password on every sign-in and tells the stand-in browser when it is wrong', async () => {
    const attempt = await beginBrowser(harness)
    await expect(completeBrowserLogin(attempt.url, { login: 'alice', password: 'wrong' })).rejects.toThrow(
      'rejected the username or password',
    )
    attempt.cancel()
    await expect(attempt.result).rejects.toMatchObject({ code: 'AUTH_CANCELLED' })
  })

  it('revokes everything a user holds on request', async () => {
    const first = await signIn(harness, ALICE)
    const second = await signIn(harness, ALICE)
    expect(await harness.server.revokeAllFor('alice')).toBe(2)
    for (const { session } of [first, second]) {
      expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(false)
    }
    expect(await harness.server.revokeAllFor('alice')).toBe(0)
  })

  it('remembers every token its token endpoint handed out', async () => {
    const { session } = await signIn(harness, ALICE)
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    const issued = harness.server.issuedTokens()
    for (const token of [session.accessToken, session.refreshToken, session.idToken, next.accessToken, next.refreshToken]) {
      expect(issued).toContain(token)
    }
  })

  it('prints no oidc-provider warnings or notices', async () => {
    const { session } = await signIn(harness, ALICE)
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    await harness.provider.signOut(harness.config, next, harness.ctx)
    const printed = [...consoleWarn.mock.calls, ...consoleInfo.mock.calls].map((call) => String(call[0]))
    expect(printed.filter((line) => line.includes('oidc-provider'))).toEqual([])
  })
})
