import { describe, expect, it } from 'vitest'
import { ADA, failure, GRACE, jwtClaims, raw, ROOT, sdk, emulatorPerTest } from './test-support.ts'

const start = emulatorPerTest()

const USERS = '/api/collections/users'

describe('auth-methods', () => {
  it('lists the collection options with the legacy fields PocketBase still sends', async () => {
    const { emulator } = await start()
    const { status, body } = await raw(emulator, 'GET', `${USERS}/auth-methods`)
    expect(status).toBe(200)
    expect(body).toEqual({
      password: { identityFields: ['email'], enabled: true },
      oauth2: { providers: [], enabled: false },
      mfa: { enabled: true, duration: 600 },
      otp: { enabled: true, duration: 180 },
      authProviders: null,
      usernamePassword: false,
      emailPassword: true,
    })
  })

  it('reports switched-off methods with zero durations and no identity fields', async () => {
    const { emulator } = await start({ methods: { password: false, otp: false, mfa: false } })
    const { body } = await raw(emulator, 'GET', `${USERS}/auth-methods`)
    expect(body).toMatchObject({
      password: { identityFields: [], enabled: false },
      mfa: { enabled: false, duration: 0 },
      otp: { enabled: false, duration: 0 },
      emailPassword: false,
    })
  })

  it('gives the SDK only the fields it asks for, and BosBase its 30-minute MFA window', async () => {
    const { emulator } = await start({ mode: 'bosbase', otpDurationSeconds: 300 })
    const methods = await sdk(emulator).collection('users').listAuthMethods()
    expect(Object.keys(methods).sort()).toEqual(['mfa', 'oauth2', 'otp', 'password'])
    expect(methods.mfa).toEqual({ enabled: true, duration: 1800 })
    expect(methods.otp).toEqual({ enabled: true, duration: 300 })
  })
})

describe('auth-with-password', () => {
  it('signs in through the SDK with a PocketBase record and an HS256 token of the collection duration', async () => {
    const { emulator, clock } = await start()
    const pb = sdk(emulator)
    const { token, record } = await pb.collection('users').authWithPassword(ADA.email, ADA.password)
    expect(Object.keys(record).sort()).toEqual(['avatar', 'collectionId', 'collectionName', 'created', 'email', 'emailVisibility', 'id', 'name', 'updated', 'verified'])
    expect(record).toMatchObject({ collectionId: '_pb_users_auth_', collectionName: 'users', email: ADA.email, name: 'Ada Lovelace', verified: true, avatar: '' })
    expect(record.id).toMatch(/^[a-z0-9]{15}$/)
    expect(record.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'))).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(jwtClaims(token)).toEqual({ collectionId: '_pb_users_auth_', exp: clock.now() / 1000 + 432000, id: record.id, refreshable: true, type: 'auth' })
    expect(pb.authStore.isValid).toBe(true)
    expect(emulator.issuedTokens()).toEqual([token])
  })

  it('cuts exp to whole seconds, and takes the configured token duration', async () => {
    const { emulator, clock } = await start({ tokenDurationSeconds: 60 })
    clock.advance(0.999)
    const { token } = await sdk(emulator).collection('users').authWithPassword(ADA.email, ADA.password)
    expect(jwtClaims(token).exp).toBe(Math.floor(clock.now() / 1000) + 60)
  })

  it('answers the same 400 for a wrong password and an unknown or differently cased email', async () => {
    const { emulator } = await start()
    for (const [identity, password] of [
      [ADA.email, 'wrong'],
      ['nobody@example.test', ADA.password],
      ['Ada@example.test', ADA.password],
    ]) {
      const { status, body } = await raw(emulator, 'POST', `${USERS}/auth-with-password`, { json: { identity, password } })
      expect(status).toBe(400)
      expect(body).toEqual({ status: 400, message: 'Failed to authenticate.', data: {} })
    }
    expect(emulator.issuedTokens()).toEqual([])
  })

  it('validates the form like PocketBase', async () => {
    const { emulator } = await start()
    const missing = await raw(emulator, 'POST', `${USERS}/auth-with-password`, { json: { password: 'x' } })
    expect(missing.body).toEqual({
      status: 400,
      message: 'An error occurred while validating the submitted data.',
      data: { identity: { code: 'validation_required', message: 'Cannot be blank.' } },
    })
    const badField = await raw(emulator, 'POST', `${USERS}/auth-with-password`, { json: { identity: 'ada', password: 'x', identityField: 'name' } })
    expect(badField.body).toMatchObject({ data: { identityField: { code: 'validation_in_invalid' } } })
    const notJson = await raw(emulator, 'POST', `${USERS}/auth-with-password`, { body: '{', headers: { 'content-type': 'application/json' } })
    expect(notJson.body).toEqual({ status: 400, message: 'An error occurred while loading the submitted data.', data: {} })
  })

  it('answers 403 when password sign-in is off, and 404 for an unknown collection', async () => {
    const { emulator } = await start({ methods: { password: false } })
    const off = await failure(sdk(emulator).collection('users').authWithPassword(ADA.email, ADA.password))
    expect(off.status).toBe(403)
    expect(off.response).toEqual({ status: 403, message: 'The collection is not configured to allow password authentication.', data: {} })
    const unknown = await failure(sdk(emulator).collection('people').authWithPassword(ADA.email, ADA.password))
    expect(unknown.response).toEqual({ status: 404, message: 'Missing or invalid collection context.', data: {} })
  })

  it('signs superusers in at _superusers with a one-day token', async () => {
    const { emulator, clock } = await start()
    const { token, record } = await sdk(emulator).collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
    expect(record).toMatchObject({ collectionId: 'pbc_3142635823', collectionName: '_superusers', email: ROOT.email, verified: true })
    expect(record).not.toHaveProperty('name')
    expect(jwtClaims(token).exp).toBe(clock.now() / 1000 + 86400)
    expect(await failure(sdk(emulator).collection('users').authWithPassword(ROOT.email, ROOT.password))).toMatchObject({ status: 400 })
  })
})

describe('MFA', () => {
  it('answers the first method with 401 and a body of exactly {"mfaId"}', async () => {
    const { emulator } = await start()
    const { status, body } = await raw(emulator, 'POST', `${USERS}/auth-with-password?fields=token`, { json: { identity: GRACE.email, password: GRACE.password } })
    expect(status).toBe(401)
    expect(body).toEqual({ mfaId: expect.stringMatching(/^[a-z0-9]{15}$/) as unknown })
    expect(emulator.issuedTokens()).toEqual([])
  })

  it('completes with a different method carrying the mfaId, and refuses the same method twice', async () => {
    const { emulator } = await start()
    const users = sdk(emulator).collection('users')
    const first = await failure(users.authWithPassword(GRACE.email, GRACE.password))
    const mfaId = (first.response as { mfaId: string }).mfaId
    const again = await failure(users.authWithPassword(GRACE.email, GRACE.password, { query: { mfaId } }))
    expect(again.response).toEqual({ status: 400, message: 'A different authentication method is required.', data: {} })
    const { otpId } = await users.requestOTP(GRACE.email)
    const code = emulator.outbox.last(GRACE.email, 'otp')?.otp ?? ''
    // In the body (the SDK's `body` option would replace the whole body, so this one is raw).
    const signedIn = await raw(emulator, 'POST', `${USERS}/auth-with-otp`, { json: { otpId, password: code, mfaId } })
    expect(signedIn.status).toBe(200)
    const { token, record } = signedIn.body as { token: string; record: { email: string } }
    expect(record.email).toBe(GRACE.email)
    expect(emulator.issuedTokens()).toEqual([token])
    // The session is used up.
    expect((await failure(users.authWithPassword(GRACE.email, GRACE.password, { query: { mfaId } }))).response).toMatchObject({
      message: 'Invalid or expired MFA session.',
    })
  })

  it('takes the mfaId from the query, with OTP as the first method', async () => {
    const { emulator } = await start()
    const users = sdk(emulator).collection('users')
    const { otpId } = await users.requestOTP(GRACE.email)
    const first = await failure(users.authWithOTP(otpId, emulator.outbox.last(GRACE.email, 'otp')?.otp ?? ''))
    expect(first.status).toBe(401)
    const { mfaId } = first.response as { mfaId: string }
    const { record } = await users.authWithPassword(GRACE.email, GRACE.password, { query: { mfaId } })
    expect(record.email).toBe(GRACE.email)
  })

  it('expires the MFA session after 600 s in PocketBase', async () => {
    const { emulator, clock } = await start()
    const users = sdk(emulator).collection('users')
    const pending = async (): Promise<string> => ((await failure(users.authWithPassword(GRACE.email, GRACE.password))).response as { mfaId: string }).mfaId
    const otpCode = async (): Promise<[string, string]> => {
      const { otpId } = await users.requestOTP(GRACE.email)
      return [otpId, emulator.outbox.last(GRACE.email, 'otp')?.otp ?? '']
    }
    const late = await pending()
    clock.advance(600)
    const [otpId, code] = await otpCode()
    expect((await failure(users.authWithOTP(otpId, code, { query: { mfaId: late } }))).response).toEqual({
      status: 400,
      message: 'Invalid or expired MFA session.',
      data: {},
    })
    const inTime = await pending()
    clock.advance(599)
    const [nextOtpId, nextCode] = await otpCode()
    expect((await users.authWithOTP(nextOtpId, nextCode, { query: { mfaId: inTime } })).record.email).toBe(GRACE.email)
  })

  it('keeps BosBase MFA sessions for 1800 s', async () => {
    const { emulator, clock } = await start({ mode: 'bosbase' })
    const users = sdk(emulator).collection('users')
    const { mfaId } = (await failure(users.authWithPassword(GRACE.email, GRACE.password))).response as { mfaId: string }
    clock.advance(1799)
    const { otpId } = await users.requestOTP(GRACE.email)
    const { record } = await users.authWithOTP(otpId, emulator.outbox.last(GRACE.email, 'otp')?.otp ?? '', { query: { mfaId } })
    expect(record.email).toBe(GRACE.email)
  })

  it('does not apply when the collection has MFA off', async () => {
    const { emulator } = await start({ methods: { mfa: false } })
    const { record } = await sdk(emulator).collection('users').authWithPassword(GRACE.email, GRACE.password)
    expect(record.email).toBe(GRACE.email)
  })
})

describe('login alerts', () => {
  it('mails on a login from a new IP + User-Agent, but not on the first login, a known one or a refresh', async () => {
    const { emulator, clock } = await start()
    const login = (userAgent: string) =>
      raw(emulator, 'POST', `${USERS}/auth-with-password`, { json: { identity: ADA.email, password: ADA.password }, headers: { 'user-agent': userAgent } })
    const alerts = () => emulator.outbox.messages().filter((message) => message.kind === 'login-alert')
    const first = await login('Laptop')
    expect(alerts()).toEqual([])
    await login('Laptop')
    expect(alerts()).toEqual([])
    await login('Phone')
    expect(alerts()).toEqual([expect.objectContaining({ to: ADA.email, subject: 'Login from a new location', at: clock.now() })])
    // When, from which address, with what: "2026-01-02 15:04:05.000Z - 127.0.0.1 Phone".
    expect(alerts()[0]?.text).toContain(`${new Date(clock.now()).toISOString().replace('T', ' ')} - 127.0.0.1 Phone\n`)
    await raw(emulator, 'POST', `${USERS}/auth-refresh`, { token: (first.body as { token: string }).token, headers: { 'user-agent': 'Tablet' } })
    expect(alerts()).toHaveLength(1)
  })
})
