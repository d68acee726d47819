import { describe, expect, it } from 'vitest'
import { fixedUuidV7 } from './random.ts'
import { ADA, emulatorPerTest, failure, GRACE, sdk } from './test-support.ts'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const start = emulatorPerTest()

describe('record ids in the form each server makes them', () => {
  it('BosBase: records, OTPs and MFA sessions have UUIDv7 ids, the demo people fixed ones', async () => {
    const { emulator, clock } = await start({ mode: 'bosbase' })
    const pb = sdk(emulator)
    const { record } = await pb.collection('users').authWithPassword(ADA.email, ADA.password)
    expect(record.id).toBe(fixedUuidV7('ada000000000001'))
    expect(record.id).toMatch(UUID_V7)
    // Its first 48 bits are the time it was made, in milliseconds.
    const { otpId } = await pb.collection('users').requestOTP(ADA.email)
    expect(otpId).toMatch(UUID_V7)
    expect(Number.parseInt(otpId.replaceAll('-', '').slice(0, 12), 16)).toBe(clock.now())
    expect((await pb.collection('users').requestOTP('nobody@example.test')).otpId).toMatch(UUID_V7)
    const mfa = await failure(pb.collection('users').authWithPassword(GRACE.email, GRACE.password))
    expect(String(mfa.response.mfaId)).toMatch(UUID_V7)
  })

  it('PocketBase: 15 characters a-z0-9', async () => {
    const { emulator } = await start()
    const { otpId } = await sdk(emulator).collection('users').requestOTP(ADA.email)
    expect(otpId).toMatch(/^[a-z0-9]{15}$/)
  })

  it('refuses to seed a person whose id is not of the server’s form', async () => {
    await expect(start({ mode: 'bosbase', users: [{ ...ADA, id: 'ada000000000001' }] })).rejects.toThrow(/not a record id of this server \(BosBase's are UUIDv7s\)/)
    await expect(start({ users: [{ ...ADA, id: fixedUuidV7('x') }] })).rejects.toThrow(/PocketBase's are 15 characters a-z0-9/)
  })
})

describe('auth rules on BosBase, which keeps records in PostgreSQL', () => {
  it('`verified = true` lets no one in; `verified = \'true\'` lets the verified in', async () => {
    const unquoted = (await start({ mode: 'bosbase', authRule: 'verified = true' })).emulator
    expect((await failure(sdk(unquoted).collection('users').authWithPassword(ADA.email, ADA.password))).status).toBe(403)
    await unquoted.stop()
    const quoted = (await start({ mode: 'bosbase', authRule: "verified = 'true'" })).emulator
    expect((await sdk(quoted).collection('users').authWithPassword(ADA.email, ADA.password)).record.email).toBe(ADA.email)
  })
})
