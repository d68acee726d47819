import { describe, expect, it } from 'vitest'
import { HUNDRED_YEARS_SECONDS } from './flavor.ts'
import type { PocketBaseEmulator } from './server.ts'
import { ADA, failure, jwtClaims, raw, ROOT, sdk, emulatorPerTest } from './test-support.ts'

const start = emulatorPerTest()

const USERS = '/api/collections/users'
const REQUIRES_AUTH = { status: 401, message: 'The request requires valid record authorization token.', data: {} }

async function signIn(emulator: PocketBaseEmulator, collection = 'users', who = ADA): Promise<string> {
  return (await sdk(emulator).collection(collection).authWithPassword(who.email, who.password)).token
}

const refresh = (emulator: PocketBaseEmulator, token: string, headers: Record<string, string> = {}, path = `${USERS}/auth-refresh`) =>
  raw(emulator, 'POST', path, { headers: token === '' ? headers : { authorization: token, ...headers } })

describe('auth-refresh', () => {
  it('gives PocketBase a new token while the current one is valid, and none after exp', async () => {
    const { emulator, clock } = await start({ tokenDurationSeconds: 60 })
    const token = await signIn(emulator)
    clock.advance(59)
    const pb = sdk(emulator)
    pb.authStore.save(token)
    const renewed = await pb.collection('users').authRefresh()
    expect(renewed.token).not.toBe(token)
    expect(jwtClaims(renewed.token).exp).toBe(clock.now() / 1000 + 60)
    expect(renewed.record.email).toBe(ADA.email)
    clock.advance(1)
    expect((await refresh(emulator, token)).body).toEqual(REQUIRES_AUTH)
    expect((await refresh(emulator, renewed.token)).status).toBe(200)
    expect(emulator.issuedTokens()).toEqual([token, renewed.token, expect.any(String)])
  })

  it('answers 401 for a guest or a tampered token, 403 naming the token\'s collection for another one', async () => {
    const { emulator } = await start()
    const token = await signIn(emulator)
    expect((await refresh(emulator, '')).body).toEqual(REQUIRES_AUTH)
    expect((await refresh(emulator, `${token.slice(0, -2)}xx`)).body).toEqual(REQUIRES_AUTH)
    expect((await refresh(emulator, token, {}, '/api/collections/_superusers/auth-refresh')).body).toEqual({
      status: 403,
      message: 'The request requires auth record from users collection.',
      data: {},
    })
  })

  it('gives BosBase\'s static 100-year token back unchanged, whatever the configured duration', async () => {
    const { emulator, clock } = await start({ mode: 'bosbase', tokenDurationSeconds: 60 })
    const token = await signIn(emulator)
    expect(jwtClaims(token)).toMatchObject({ refreshable: false, exp: clock.now() / 1000 + HUNDRED_YEARS_SECONDS, type: 'auth' })
    clock.advance(3600)
    const pb = sdk(emulator)
    pb.authStore.save(token)
    expect((await pb.collection('users').authRefresh()).token).toBe(token)
  })

  it('gives BosBase superusers 100 years unless a superuser token duration is set', async () => {
    const { emulator, clock } = await start({ mode: 'bosbase' })
    expect(jwtClaims(await signIn(emulator, '_superusers', ROOT)).exp).toBe(clock.now() / 1000 + HUNDRED_YEARS_SECONDS)
    await emulator.stop()
    const { emulator: limited, clock: limitedClock } = await start({ mode: 'bosbase', superuserTokenDurationSeconds: 7200 })
    expect(jwtClaims(await signIn(limited, '_superusers', ROOT))).toMatchObject({ exp: limitedClock.now() / 1000 + 7200, refreshable: false })
  })
})

describe('the Authorization header', () => {
  it('takes the token with or without "Bearer " (any case) in PocketBase, and ignores ?token=', async () => {
    const { emulator } = await start()
    const token = await signIn(emulator)
    for (const header of [token, `Bearer ${token}`, `bearer ${token}`]) expect((await refresh(emulator, header)).status).toBe(200)
    expect((await raw(emulator, 'POST', `${USERS}/auth-refresh?token=${token}`)).status).toBe(401)
  })

  it('matches "Bearer " case-sensitively in BosBase, which also reads ?token= and the pb_auth cookie', async () => {
    const { emulator } = await start({ mode: 'bosbase' })
    const token = await signIn(emulator)
    expect((await refresh(emulator, `Bearer ${token}`)).status).toBe(200)
    expect((await refresh(emulator, token)).status).toBe(200)
    expect((await refresh(emulator, `bearer ${token}`)).status).toBe(401)
    expect((await raw(emulator, 'POST', `${USERS}/auth-refresh?token=${token}`)).status).toBe(200)
    const cookie = `pb_auth=${encodeURIComponent(JSON.stringify({ token, record: {} }))}`
    expect((await refresh(emulator, '', { cookie })).status).toBe(200)
  })
})

describe('impersonate', () => {
  function adaId(emulator: PocketBaseEmulator): string {
    return String(emulator.user('users', ADA.email)?.id)
  }

  it('is for superusers only: 401 for a guest, 403 for a user', async () => {
    const { emulator } = await start()
    const path = `${USERS}/impersonate/${adaId(emulator)}`
    expect((await raw(emulator, 'POST', path, { json: { duration: 60 } })).body).toEqual(REQUIRES_AUTH)
    const user = sdk(emulator)
    await user.collection('users').authWithPassword(ADA.email, ADA.password)
    expect((await failure(user.collection('users').impersonate(adaId(emulator), 60))).response).toEqual({
      status: 403,
      message: 'The authorized record is not allowed to perform this action.',
      data: {},
    })
  })

  it('hands a superuser a static token of the asked duration, which refresh gives back unchanged', async () => {
    const { emulator, clock } = await start()
    const root = sdk(emulator)
    await root.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
    const asAda = await root.collection('users').impersonate(adaId(emulator), 3600)
    const token = asAda.authStore.token
    expect(asAda.authStore.record?.email).toBe(ADA.email)
    expect(jwtClaims(token)).toMatchObject({ refreshable: false, exp: clock.now() / 1000 + 3600, collectionId: '_pb_users_auth_' })
    clock.advance(10)
    expect((await asAda.collection('users').authRefresh()).token).toBe(token)
    expect(emulator.issuedTokens()).toContain(token)
    expect(emulator.outbox.messages()).toEqual([])
  })

  it('falls back to the collection token duration for 0 (PocketBase 5 days, BosBase 7 days)', async () => {
    for (const [mode, seconds] of [
      ['pocketbase', 432000],
      ['bosbase', 604800],
    ] as const) {
      const { emulator, clock } = await start({ mode })
      const root = sdk(emulator)
      await root.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
      const asAda = await root.collection('users').impersonate(adaId(emulator), 0)
      expect(jwtClaims(asAda.authStore.token).exp).toBe(clock.now() / 1000 + seconds)
      await emulator.stop()
    }
  })

  it('validates the duration and finds the record and collection', async () => {
    const { emulator } = await start()
    const token = await signIn(emulator, '_superusers', ROOT)
    const negative = await raw(emulator, 'POST', `${USERS}/impersonate/${adaId(emulator)}`, { token, json: { duration: -1 } })
    expect(negative.body).toMatchObject({ status: 400, data: { duration: { code: 'validation_min_greater_equal_than_required' } } })
    expect((await raw(emulator, 'POST', `${USERS}/impersonate/nosuchrecord000`, { token, json: {} })).status).toBe(404)
    expect((await raw(emulator, 'POST', '/api/collections/people/impersonate/x', { token, json: {} })).body).toEqual({
      status: 404,
      message: 'Missing or invalid auth collection context.',
      data: {},
    })
  })
})
