/**
 * Browser sign-in to the Authing emulator's OIDC side through the OpenID Connect backend's
 * machinery: PKCE, the pinned loopback port registered exactly, refresh tokens that are not
 * rotated, revocation and the end-session page.
 */
import { describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import type { BrowserSignIn } from '../../core/provider.ts'
import { freePort } from '../../../dev/free-port.ts'
import { ADA, failure, firstForm, useHarness } from './test-harness.ts'

const harness = useHarness({}, { browser: true, provider: { signInTimeoutMs: 5000 } })

async function browser(config = harness.config): Promise<BrowserSignIn> {
  const form = await firstForm(harness, config)
  expect(form.form.description).toContain('http://127.0.0.1:')
  const start = await form.submit('browser', {})
  if (start.kind !== 'browser') throw new Error(`expected a browser step, got ${start.kind}`)
  return start
}

describe('OIDC in the browser', () => {
  it('signs in with PKCE on the registered port, renews without rotation and revokes on sign-out', async () => {
    const attempt = await browser()
    const url = new URL(attempt.url)
    expect(url.pathname).toBe('/oidc/auth')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${harness.config.redirectPort ?? ''}/callback`)
    await completeBrowserLogin(attempt.url, { login: ADA.email, password: ADA.password })
    const result = await attempt.result
    if ('kind' in result) throw new Error('expected a session')
    expect(result.identity).toMatchObject({ subject: ADA.id, email: ADA.email })
    expect(result.session.refreshToken).not.toBeNull()
    const renewed = await harness.provider.refresh(harness.config, result.session, harness.ctx)
    expect(renewed.session.accessToken).not.toBe(result.session.accessToken)
    expect(renewed.session.refreshToken).toBe(result.session.refreshToken)
    const out = await harness.provider.signOut(harness.config, renewed.session, harness.ctx)
    expect(out.revokedOnServer).toBe(true)
    expect(out.endSessionUrl).toMatch(/\/oidc\/session\/end\?client_id=/)
    await expect(harness.provider.refresh(harness.config, renewed.session, harness.ctx)).rejects.toMatchObject({ code: 'REFRESH_REJECTED' })
  })

  it('closes a waiting browser step when the whole attempt is cancelled', async () => {
    const form = await firstForm(harness)
    const start = await form.submit('browser', {})
    if (start.kind !== 'browser') throw new Error(`expected a browser step, got ${start.kind}`)
    form.cancel()
    expect((await failure(start.result)).code).toBe('AUTH_CANCELLED')
  })

  it('is refused when the port is not the one registered: redirect URIs match exactly', async () => {
    // Another port the system says is free now, not the registered one (port + 1 may be taken).
    const other = { ...harness.config, redirectPort: String(await freePort(Number(harness.config.redirectPort))) }
    const attempt = await browser(other)
    const page = await fetch(attempt.url)
    expect(page.status).toBe(400)
    expect(await page.text()).toMatch(/redirect_uri/)
    attempt.cancel()
    expect((await failure(attempt.result)).code).toBe('AUTH_CANCELLED')
  })
})
