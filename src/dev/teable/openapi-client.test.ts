/**
 * The emulator checked with an independent client: Teable's own `@teable/openapi` request functions
 * (its axios instance, whose errors become @teable/core HttpError {message, status, code, data}),
 * with the answers validated against its zod response schemas. The cookie is carried by hand, as
 * the package leaves that to the browser.
 */
import {
  axios,
  changePassword,
  createAccessToken,
  createAccessTokenVoSchema,
  deleteAccessToken,
  getPublicSetting,
  getSpaceList,
  listAccessToken,
  listAccessTokenVoSchema,
  publicSettingVoSchema,
  refreshAccessToken,
  refreshAccessTokenVoSchema,
  sendChangeEmailCode,
  sendSignupVerificationCode,
  sendSignupVerificationCodeVoSchema,
  signin,
  signout,
  signup,
  updateUserName,
  updateUserNotifyMeta,
  userInfo,
  userMe,
  userMeVoSchema,
} from '@teable/openapi'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTeableEmulator } from './server.ts'
import type { TeableEmulator } from './server.ts'

const ADA = { email: 'ada@example.test', password: 'analytical-1' }
const BEA = { email: 'bea@example.test', password: 'botanical-1' }

function cookieOf(headers: Record<string, unknown>): string {
  const lines = headers['set-cookie'] as string[] | undefined
  return (lines?.[0] ?? '').split(';')[0] ?? ''
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string; data?: unknown }> {
  return promise.then(
    () => {
      throw new Error('expected an error')
    },
    (error: unknown) => error as { status: number; code: string; message: string; data?: unknown },
  )
}

describe('the Teable emulator through @teable/openapi', () => {
  let emulator: TeableEmulator
  beforeAll(async () => {
    emulator = await startTeableEmulator({ users: [{ ...ADA, name: 'Ada' }, { ...BEA, name: 'Bea' }], lockout: { maxAttempts: 3, minutes: 10 } })
    axios.defaults.baseURL = `${emulator.url}/api`
  })
  beforeEach(() => {
    delete axios.defaults.headers.common.Cookie
    delete axios.defaults.headers.common.Authorization
  })
  afterAll(() => emulator.stop())

  it('signs in, answers a valid IUserMeVo with the cookie, and the anonymous user without it', async () => {
    const answer = await signin(ADA)
    expect(userMeVoSchema.parse(answer.data).email).toBe(ADA.email)
    const cookie = cookieOf(answer.headers)
    expect(cookie).toMatch(/^auth_session=s%3A/)
    axios.defaults.headers.common.Cookie = cookie
    expect(userMeVoSchema.parse((await userMe()).data).id).toBe(answer.data.id)
    delete axios.defaults.headers.common.Cookie
    expect((await userMe()).data.id).toBe('anonymous')
  })

  it('answers the public settings in their schema, with the Turnstile site key null while the human check is off', async () => {
    const answer = await getPublicSetting()
    expect(publicSettingVoSchema.parse(answer.data).enableEmailVerification).toBe(true)
    expect((answer.data as { turnstileSiteKey?: unknown }).turnstileSiteKey).toBeNull()
  })

  it('answers wrong credentials with 400 invalid_credentials and attempts, locks out with 429 and minutes after the limit, yet takes the right password', async () => {
    const wrong = await failure(signin({ email: ADA.email, password: 'wrong-pass-1' }))
    expect(wrong).toMatchObject({ status: 400, code: 'invalid_credentials', data: { attempts: 1 } })
    await failure(signin({ email: ADA.email, password: 'wrong-pass-2' }))
    expect(await failure(signin({ email: ADA.email, password: 'wrong-pass-3' }))).toMatchObject({ status: 400, data: { attempts: 3 } })
    const locked = await failure(signin({ email: ADA.email, password: 'wrong-pass-4' }))
    expect(locked).toMatchObject({ status: 429, code: 'too_many_requests', data: { minutes: 10 } })
    expect(await failure(signin({ email: ADA.email, password: 'wrong-pass-5' }))).toMatchObject({ status: 429 })
    expect(userMeVoSchema.parse((await signin(ADA)).data).email).toBe(ADA.email)
  })

  it('signs up with the verification code: 422 with a token, then 201 with a session', async () => {
    const email = 'new@example.test'
    const first = await failure(signup({ email, password: 'newcomer-1' }))
    expect(first).toMatchObject({ status: 422, code: 'unprocessable_entity' })
    const data = sendSignupVerificationCodeVoSchema.parse(first.data)
    const code = emulator.outbox.last(email, 'signup-code')?.code ?? ''
    const weak = await failure(signup({ email, password: 'short' }))
    expect(weak).toMatchObject({ status: 400, code: 'validation_error' })
    const created = await signup({ email, password: 'newcomer-1', verification: { code, token: data.token } })
    expect(created.status).toBe(201)
    expect(userMeVoSchema.parse(created.data).email).toBe(email)
  })

  it('checks a sign-up code against the address it was sent to exactly: a code asked for with capitals does not sign up the lower-cased address', async () => {
    const typed = 'Cap.Tain@Example.test'
    const sent = sendSignupVerificationCodeVoSchema.parse((await sendSignupVerificationCode(typed)).data)
    const code = emulator.outbox.last(typed, 'signup-code')?.code ?? ''
    const refused = await failure(signup({ email: typed, password: 'captain-42', verification: { code, token: sent.token } }))
    expect(refused).toMatchObject({ status: 400, code: 'invalid_captcha' })
    // Another code inside the interval: the mail-sending limit (429, data.seconds = the interval).
    expect(await failure(sendSignupVerificationCode(typed))).toMatchObject({ status: 429, code: 'too_many_requests', data: { seconds: 30 } })
  })

  it('lets a full-access token list every space, and a token naming none list nothing', async () => {
    axios.defaults.headers.common.Cookie = cookieOf((await signin(ADA)).headers)
    const expiredTime = new Date(Date.now() + 86_400_000).toISOString()
    const full = createAccessTokenVoSchema.parse((await createAccessToken({ name: 'all', scopes: ['space|read'], hasFullAccess: true, expiredTime })).data)
    expect(full.hasFullAccess).toBe(true)
    const none = createAccessTokenVoSchema.parse((await createAccessToken({ name: 'none', scopes: ['space|read'], expiredTime })).data)
    const mine = (await getSpaceList()).data.map((space) => space.id)
    delete axios.defaults.headers.common.Cookie
    axios.defaults.headers.common.Authorization = `Bearer ${full.token}`
    expect((await getSpaceList()).data.map((space) => space.id)).toEqual(mine)
    axios.defaults.headers.common.Authorization = `Bearer ${none.token}`
    expect((await getSpaceList()).data).toEqual([])
  })

  it('manages personal access tokens with the session; a token reaches /auth/user but not /auth/user/me', async () => {
    axios.defaults.headers.common.Cookie = cookieOf((await signin(BEA)).headers)
    const expiredTime = new Date(Date.now() + 86_400_000).toISOString()
    const created = createAccessTokenVoSchema.parse((await createAccessToken({ name: 'sdk', scopes: ['space|read'], expiredTime })).data)
    expect(created.token).toMatch(/^teable_acc\w+_/)
    expect(listAccessTokenVoSchema.parse((await listAccessToken()).data).map((item) => item.id)).toContain(created.id)
    const refreshed = refreshAccessTokenVoSchema.parse((await refreshAccessToken(created.id, { expiredTime })).data)
    expect(refreshed.token).not.toBe(created.token)
    await updateUserName({ name: 'Bea B.' })
    await updateUserNotifyMeta({ email: false })
    const cookie = axios.defaults.headers.common.Cookie
    delete axios.defaults.headers.common.Cookie
    axios.defaults.headers.common.Authorization = `Bearer ${refreshed.token}`
    expect((await userInfo()).data.name).toBe('Bea B.')
    expect(await failure(userMe())).toMatchObject({ status: 403 })
    axios.defaults.headers.common.Authorization = `Bearer ${created.token}`
    expect(await failure(userInfo())).toMatchObject({ status: 401 })
    delete axios.defaults.headers.common.Authorization
    axios.defaults.headers.common.Cookie = cookie
    await deleteAccessToken(created.id)
    expect((await listAccessToken()).data).toEqual([])
    expect(await failure(deleteAccessToken(created.id))).toMatchObject({ status: 500, code: 'internal_server_error', message: 'Internal Server Error' })
    const sameEmail = await failure(sendChangeEmailCode({ email: BEA.email, password: BEA.password }))
    expect(sameEmail).toMatchObject({ status: 409, code: 'conflict' })
    await changePassword({ password: BEA.password, newPassword: 'botanical-2' })
    expect((await userMe()).data.id).toBe('anonymous')
    expect(await failure(signout())).toMatchObject({ status: 401 })
  })
})
