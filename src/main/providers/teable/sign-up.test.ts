/** Sign-up with the emailed code, password reset, token-only accounts and the browser (PKCE) sign-in. */
import { describe, expect, it } from 'vitest'
import { RefreshRejectedError } from '../../core/errors.ts'
import { clockTime } from '../../core/iso-time.ts'
import { ALICE, BOB, appError, asDone, asForm, createToken, signIn, startHarness, useHarness } from './test-harness.ts'

describe('Teable sign-up with the emailed code', () => {
  const h = useHarness()
  const email = 'dora@example.test'

  it('asks for the code the server mailed (422 + token), refuses a wrong one, respects the resend interval, then signs in', async () => {
    const start = asForm(await h.provider.beginSignIn(h.config, h.ctx))
    const signUp = asForm(await start.submit('to-sign-up', { email }))
    expect(signUp.form.id).toBe('sign-up')
    const weak = await appError(signUp.submit('sign-up', { email, newPassword: 'onlyletters', confirm: 'onlyletters' }))
    expect(weak).toMatchObject({ code: 'VALIDATION', field: 'newPassword' })
    const code = asForm(await signUp.submit('sign-up', { email, newPassword: 'explorer-42', confirm: 'explorer-42', spaceName: 'Maps' }))
    expect(code.form.id).toBe('sign-up-code')
    expect(code.form.description).toContain(email)
    expect(h.emulator.requests().find((r) => r.path === '/api/auth/signup')?.status).toBe(422)
    const mailed = h.emulator.outbox.last(email, 'signup-code')?.code ?? ''
    expect(mailed).toMatch(/^\d{4}$/)
    const wrong = await appError(code.submit('verify', { code: mailed === '0000' ? '1111' : '0000' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'code' })
    const tooSoon = await appError(code.submit('resend', {}))
    expect(tooSoon.code).toBe('RATE_LIMITED')
    expect(tooSoon.message).toMatch(/ask for a new one at \d\d:\d\d \(in \d+ seconds\)/)
    const signedIn = asDone(await code.submit('verify', { code: mailed }))
    expect(signedIn.identity.email).toBe(email)
    expect(signedIn.session.tokenType).toBe('cookie')
    expect(h.emulator.user(email)).toMatchObject({ hasPassword: true })
  })

  it('signs up an address typed with capitals with a code asked for again (Teable compares the code’s address with the lower-cased one)', async () => {
    const h = await startHarness()
    try {
      const typed = 'Eve.Explorer@Example.test'
      const signUp = asForm(await asForm(await h.provider.beginSignIn(h.config, h.ctx)).submit('to-sign-up', { email: typed }))
      const code = asForm(await signUp.submit('sign-up', { email: typed, newPassword: 'explorer-43', confirm: 'explorer-43' }))
      h.secrets.add('explorer-43')
      h.advance(31_000)
      const again = asForm(await code.submit('resend', {}))
      const mailed = h.emulator.outbox.last(typed, 'signup-code')?.code ?? ''
      const signedIn = asDone(await again.submit('verify', { code: mailed }))
      expect(signedIn.identity.email).toBe('eve.explorer@example.test')
    } finally {
      await h.stop()
    }
  })

  it('says when another email may be asked for, from the 400 of older servers and the 429 with data.seconds of newer ones', async () => {
    for (const codeResend of ['please-wait-400', 'mail-rate-429'] as const) {
      const h = await startHarness({ codeResend })
      try {
        const start = asForm(await h.provider.beginSignIn(h.config, h.ctx))
        const signUp = asForm(await start.submit('to-sign-up', {}))
        const code = asForm(await signUp.submit('sign-up', { email: 'fay@example.test', newPassword: 'explorer-44', confirm: 'explorer-44' }))
        h.secrets.add('explorer-44')
        const said = (retryAt: number | undefined) => `${new URL(h.emulator.url).host} sent an email a moment ago. You can ask for a new one at ${clockTime(retryAt ?? 0)} (in 30 seconds).`
        const before = h.ctx.clock.now()
        const tooSoon = await appError(code.submit('resend', {}))
        expect(tooSoon).toMatchObject({ code: 'RATE_LIMITED', message: said(tooSoon.retryAt) })
        expect(tooSoon.retryAt).toBeGreaterThanOrEqual(before + 30_000)
        expect(tooSoon.retryAt).toBeLessThanOrEqual(h.ctx.clock.now() + 30_000)
        if (codeResend === 'mail-rate-429') {
          await start.submit('reset-request', { email: BOB.email })
          const again = await appError(start.submit('reset-request', { email: BOB.email }))
          expect(again).toMatchObject({ code: 'RATE_LIMITED', message: said(again.retryAt) })
        }
      } finally {
        await h.stop()
      }
    }
  })

  it('says an address that already has an account belongs to sign-in', async () => {
    const signUp = asForm(await asForm(await h.provider.beginSignIn(h.config, h.ctx)).submit('to-sign-up', {}))
    const error = await appError(signUp.submit('sign-up', { email: ALICE.email, newPassword: 'another-1x', confirm: 'another-1x' }))
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'email' })
    expect(error.message).toMatch(/already has an account/)
  })
})

describe('Teable password reset', () => {
  const h = useHarness()

  it('emails a link, takes the pasted link and a new password, and signs straight in with it', async () => {
    const start = asForm(await h.provider.beginSignIn(h.config, h.ctx))
    const unknown = await appError(start.submit('reset-request', { email: 'nobody@example.test' }))
    expect(unknown).toMatchObject({ code: 'VALIDATION', field: 'email' })
    const reset = asForm(await start.submit('reset-request', { email: BOB.email }))
    const mail = h.emulator.outbox.last(BOB.email, 'reset-password')
    const link = /https?:\S+/.exec(mail?.text ?? '')?.[0] ?? ''
    expect(link).toContain('/auth/reset-password?code=')
    const signedIn = asDone(await reset.submit('reset', { code: link, newPassword: 'rebuilt-2024', confirm: 'rebuilt-2024' }))
    expect(signedIn.identity.email).toBe(BOB.email)
    // The code worked once.
    const again = await appError(reset.submit('reset', { code: link, newPassword: 'rebuilt-2025', confirm: 'rebuilt-2025' }))
    expect(again).toMatchObject({ code: 'VALIDATION', field: 'code' })
    h.secrets.add('rebuilt-2024')
  })
})

describe('Teable token-only accounts', () => {
  const h = useHarness()

  it('refuses a pasted value that is not shaped like a Teable token, before anything is sent', () => {
    expect(() => h.provider.parseConfig({ url: h.emulator.url, token: 'teable_not-a-token' })).toThrow(/looks like teable_acc/)
  })

  it('signs in with the access token alone, checks it, and needs attention once it is deleted', async () => {
    const { session } = await signIn(h, ALICE)
    const { id, token } = await createToken(h, session.accessToken)
    const config = h.provider.parseConfig({ url: h.emulator.url, token })
    const form = asForm(await h.provider.beginSignIn(config, h.ctx))
    expect(form.form.actions.map((a) => a.id)).toContain('token-only')
    const signedIn = asDone(await form.submit('token-only', {}))
    expect(signedIn.session).toMatchObject({ tokenType: 'pat', isStatic: true, accessToken: token })
    expect(signedIn.identity.email).toBe(ALICE.email)
    expect(signedIn.profile.session).toMatch(/^None/)
    expect((await h.provider.refresh(config, signedIn.session, h.ctx)).session).toEqual(signedIn.session)
    h.emulator.deleteAccessToken(ALICE.email, id)
    await expect(h.provider.refresh(config, signedIn.session, h.ctx)).rejects.toBeInstanceOf(RefreshRejectedError)
    const out = await h.provider.signOut(config, signedIn.session, h.ctx)
    expect(out.revokedOnServer).toBe(false)
  })

  it('shows a session account’s token with its expiry, and marks only the token when the server drops it', async () => {
    const { session } = await signIn(h, BOB)
    const { id, token, expiredTime } = await createToken(h, session.accessToken, { name: 'reports' })
    const config = h.provider.parseConfig({ url: h.emulator.url, token })
    const first = await h.provider.refresh(config, session, h.ctx)
    expect(first.profile?.accessToken).toContain('“reports”')
    expect(first.profile?.accessToken).toContain(expiredTime.slice(0, 10))
    h.emulator.deleteAccessToken(BOB.email, id)
    const after = await h.provider.refresh(config, first.session, h.ctx)
    expect(after.profile?.accessToken).toMatch(/^Needs attention/)
    expect(after.profile?.session).toMatch(/^Signed in/)
  })
})

describe('Teable browser sign-in (mobile PKCE)', () => {
  async function browse(url: string, email: string, password: string): Promise<Response> {
    const page = new URL(url)
    const form = new URLSearchParams({ email, password })
    for (const key of ['redirect_uri', 'code_challenge', 'state']) form.set(key, page.searchParams.get(key) ?? '')
    return fetch(new URL('/auth/mobile', page), { method: 'POST', body: form, redirect: 'manual' })
  }

  it('is refused in the browser while the server allows only its own scheme, and works once it allows http', async () => {
    const h = await startHarness()
    try {
      const refusedStep = await asForm(await h.provider.beginSignIn(h.config, h.ctx)).submit('browser', {})
      if (refusedStep.kind !== 'browser') throw new Error('expected the browser')
      const refused = await browse(refusedStep.url, ALICE.email, ALICE.password)
      expect(refused.status).toBe(400)
      expect(await refused.text()).toContain('redirect_uri scheme &#34;http&#34; is not allowed')
      refusedStep.cancel()
      await expect(refusedStep.result).rejects.toMatchObject({ code: 'AUTH_CANCELLED' })

      h.emulator.setMobileRedirectSchemes(['teable', 'http'])
      const step = await asForm(await h.provider.beginSignIn(h.config, h.ctx)).submit('browser', {})
      if (step.kind !== 'browser') throw new Error('expected the browser')
      // The query names Teable's /auth/mobile page reads (@teable/openapi auth/mobile-auth).
      expect([...new URL(step.url).searchParams.keys()].sort()).toEqual(['code_challenge', 'redirect_uri', 'state'])
      const redirect = await browse(step.url, ALICE.email, ALICE.password)
      expect(redirect.status).toBe(302)
      await fetch(redirect.headers.get('location') ?? '')
      const signedIn = await step.result
      if ('kind' in signedIn) throw new Error('expected a session')
      expect(signedIn.identity.email).toBe(ALICE.email)
      expect(signedIn.session.tokenType).toBe('cookie')
    } finally {
      await h.stop()
    }
  })
})
