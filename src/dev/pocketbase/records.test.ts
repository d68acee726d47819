import { afterEach, describe, expect, it } from 'vitest'
import type { PocketBaseEmulator, PocketBaseEmulatorOptions } from './server.ts'
import { ADA, failure, GRACE, raw, ROOT, sdk, startTestEmulator } from './test-support.ts'

let running: PocketBaseEmulator | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

async function start(options: PocketBaseEmulatorOptions = {}): Promise<PocketBaseEmulator> {
  const { emulator } = await startTestEmulator(options)
  running = emulator
  return emulator
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

async function signedIn(emulator: PocketBaseEmulator) {
  const pb = sdk(emulator)
  const { record } = await pb.collection('users').authWithPassword(ADA.email, ADA.password)
  return { pb, id: record.id }
}

describe('records', () => {
  it('shows a user their own record and nobody else\'s (404), and guests nothing', async () => {
    const emulator = await start()
    const { pb, id } = await signedIn(emulator)
    expect(await pb.collection('users').getOne(id)).toMatchObject({ id, email: ADA.email, name: 'Ada Lovelace' })
    const graceId = String(emulator.user('users', GRACE.email)?.id)
    expect((await failure(pb.collection('users').getOne(graceId))).response).toEqual({ status: 404, message: "The requested resource wasn't found.", data: {} })
    expect((await failure(sdk(emulator).collection('users').getOne(id))).status).toBe(404)
    expect(await pb.collection('users').getList()).toMatchObject({ page: 1, perPage: 30, totalItems: 1, totalPages: 1, items: [{ id }] })
    expect((await failure(pb.collection('_superusers').getList())).response).toEqual({ status: 403, message: 'Only superusers can perform this action.', data: {} })
    expect((await failure(pb.collection('members').getOne(id))).response).toEqual({ status: 404, message: 'Missing collection context.', data: {} })
  })

  it('keeps rules left unset for superusers (403), while auth-refresh still answers with the record', async () => {
    const emulator = await start({ superusersOnlyRules: ['view', 'update'] })
    const { pb, id } = await signedIn(emulator)
    const onlySuperusers = { status: 403, message: 'Only superusers can perform this action.', data: {} }
    expect((await failure(pb.collection('users').getOne(id))).response).toEqual(onlySuperusers)
    expect((await failure(pb.collection('users').update(id, { name: 'Ada' }))).response).toEqual(onlySuperusers)
    expect((await pb.collection('users').getList()).items).toHaveLength(1)
    expect((await pb.collection('users').authRefresh()).record).toMatchObject({ id, email: ADA.email })
    const root = sdk(emulator)
    await root.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
    expect(await root.collection('users').getOne(id)).toMatchObject({ id })
  })

  it('lists every user for a superuser, with emails, and picks ?fields= from the items', async () => {
    const emulator = await start()
    const root = sdk(emulator)
    await root.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
    const list = await root.collection('users').getList(1, 50)
    expect(list).toMatchObject({ page: 1, perPage: 50, totalItems: 2, totalPages: 1 })
    expect(list.items.map((item) => item.email as string)).toEqual([ADA.email, GRACE.email])
    const picked = await raw(emulator, 'GET', '/api/collections/users/records?fields=email', { token: root.authStore.token })
    expect(picked.body).toEqual({ page: 1, perPage: 30, totalItems: 2, totalPages: 1, items: [{ email: ADA.email }, { email: GRACE.email }] })
  })

  it('updates the name and emailVisibility, but not email or verified, for the owner', async () => {
    const emulator = await start()
    const { pb, id } = await signedIn(emulator)
    const updated = await pb.collection('users').update(id, { name: 'Countess of Lovelace', emailVisibility: true })
    expect(updated).toMatchObject({ name: 'Countess of Lovelace', email: ADA.email, emailVisibility: true })
    expect(pb.authStore.record?.name).toBe('Countess of Lovelace')
    const forbidden = await failure(pb.collection('users').update(id, { email: 'other@example.test', verified: false }))
    expect(forbidden.response).toEqual({
      status: 400,
      message: 'Failed to update record.',
      data: {
        email: { code: 'validation_values_mismatch', message: "Values don't match." },
        verified: { code: 'validation_values_mismatch', message: "Values don't match." },
      },
    })
    // Sending the current values back is fine (the SDK often sends the whole record).
    expect(await pb.collection('users').update(id, { email: ADA.email, verified: true, name: 'Ada' })).toMatchObject({ name: 'Ada' })
  })

  it('lets a superuser change a user\'s email and verified state, which kills that user\'s tokens', async () => {
    const emulator = await start()
    const { pb, id } = await signedIn(emulator)
    const root = sdk(emulator)
    await root.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
    expect(await root.collection('users').update(id, { email: 'ada@moved.example', verified: false })).toMatchObject({ email: 'ada@moved.example', verified: false })
    expect((await failure(pb.collection('users').authRefresh())).status).toBe(401)
    expect((await failure(root.collection('users').update(id, { email: GRACE.email }))).response).toMatchObject({ data: { email: { code: 'validation_not_unique' } } })
  })

  it('stores a multipart avatar under a generated name and serves it at /api/files', async () => {
    const emulator = await start()
    const { pb, id } = await signedIn(emulator)
    const form = new FormData()
    form.append('name', 'Ada with avatar')
    form.append('avatar', new Blob([PNG], { type: 'image/png' }), 'My Portrait.PNG')
    const updated = await pb.collection('users').update(id, form)
    expect(updated.name).toBe('Ada with avatar')
    expect(updated.avatar).toMatch(/^my_portrait_[a-zA-Z0-9]{10}\.PNG$/)
    const url = pb.files.getURL(updated, updated.avatar as string)
    expect(url).toBe(`${emulator.url}/api/files/_pb_users_auth_/${id}/${String(updated.avatar)}`)
    const served = await fetch(url)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG)
    // Removing it (null) deletes the file too.
    expect((await pb.collection('users').update(id, { avatar: null })).avatar).toBe('')
    expect((await fetch(url)).status).toBe(404)
  })

  it('sniffs the avatar type from its bytes and caps it at 5 MiB, with PocketBase\'s field errors', async () => {
    const emulator = await start()
    const { pb, id } = await signedIn(emulator)
    const upload = (bytes: Buffer, name: string, type: string) => {
      const form = new FormData()
      form.append('avatar', new Blob([new Uint8Array(bytes)], { type }), name)
      return failure(pb.collection('users').update(id, form))
    }
    const text = await upload(Buffer.from('not an image'), 'fake.png', 'image/png')
    expect(text.response).toMatchObject({ status: 400, message: 'Failed to update record.', data: { avatar: { code: 'validation_invalid_mime_type' } } })
    const huge = await upload(Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]), 'huge.png', 'image/png')
    expect(huge.response).toMatchObject({ data: { avatar: { code: 'validation_file_size_limit', params: { maxSize: 5242880 } } } })
    expect(emulator.user('users', ADA.email)).toMatchObject({ avatar: '' })
  })
})

describe('other routes', () => {
  it('answers /api/health, and 404 in PocketBase\'s error shape for unknown routes', async () => {
    const emulator = await start()
    expect(await sdk(emulator).health.check()).toEqual({ code: 200, message: 'API is healthy.', data: {} })
    expect((await raw(emulator, 'GET', '/api/nothing-here')).body).toEqual({ status: 404, message: "The requested resource wasn't found.", data: {} })
    expect(emulator.requests()).toEqual([
      { method: 'GET', path: '/api/health', status: 200 },
      { method: 'GET', path: '/api/nothing-here', status: 404 },
    ])
  })
})
