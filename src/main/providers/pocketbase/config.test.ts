import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.ts'
import { FakeClock } from '../../core/testing/fake-clock.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { createPocketBaseProvider } from './provider.ts'

const provider = createPocketBaseProvider()

function validationError(input: Record<string, string>): AppError {
  try {
    provider.parseConfig(input)
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('VALIDATION')
    return error as AppError
  }
  return expect.fail('expected a VALIDATION error')
}

describe('PocketBase settings', () => {
  it('describes itself on the Add-account screen and renews without a refresh token', () => {
    expect(provider.kind).toBe('pocketbase')
    expect(provider.descriptor.title).toBe('PocketBase / BosBase')
    expect(provider.descriptor.fields.map((field) => [field.key, field.kind, field.required])).toEqual([
      ['url', 'url', true],
      ['collection', 'text', false],
      ['oauth2Redirect', 'choice', false],
    ])
    expect(provider.descriptor.fields[0]?.label).toBe('Server address')
    expect(provider.descriptor.fields[1]?.defaultValue).toBe('users')
    expect(provider.descriptor.fields[1]?.help).toContain('_superusers')
    expect(provider.descriptor.fields[2]?.defaultValue).toBe('through the server')
    expect(provider.refreshesWithoutRefreshToken).toBe(true)
  })

  it('accepts an https address, trims it and defaults the collection to users', () => {
    const config = provider.parseConfig({ url: ' https://PB.example.com/ ' })
    expect(config).toEqual({ url: 'https://pb.example.com', collection: 'users' })
    expect(provider.backendName(config)).toBe('pb.example.com')
  })

  it('keeps a path (PocketBase behind a reverse proxy) without its trailing slash', () => {
    expect(provider.parseConfig({ url: 'https://example.com/pb/', collection: 'members' }).url).toBe('https://example.com/pb')
  })

  it('names superuser and other collections after the host', () => {
    expect(provider.backendName(provider.parseConfig({ url: 'https://pb.example.com', collection: '_superusers' }))).toBe('pb.example.com (superusers)')
    expect(provider.backendName(provider.parseConfig({ url: 'https://pb.example.com:8443', collection: 'members' }))).toBe('pb.example.com:8443 · members')
  })

  it('allows http only for loopback hosts', () => {
    for (const url of ['http://127.0.0.1:8090', 'http://localhost:8090', 'http://[::1]:8090']) {
      expect(provider.parseConfig({ url }).url).toBe(url)
    }
    const error = validationError({ url: 'http://pb.example.com' })
    expect(error.field).toBe('url')
    expect(error.message).toBe('Use an https:// server address.')
  })

  it.each([
    [{}, 'url'],
    [{ url: '  ' }, 'url'],
    [{ url: 'pb.example.com' }, 'url'],
    [{ url: 'ftp://pb.example.com' }, 'url'],
    [{ url: 'https://pb.example.com?x=1' }, 'url'],
    [{ url: 'https://user:pw@pb.example.com' }, 'url'],
    [{ url: 'https://pb.example.com', collection: 'my users' }, 'collection'],
    [{ url: 'https://pb.example.com', collection: 'users;drop' }, 'collection'],
    [{ url: 'https://pb.example.com', collection: 'ünïcode' }, 'collection'],
  ])('rejects %j on %s', (input, field) => {
    expect(validationError(input as Record<string, string>).field).toBe(field)
  })

  it('never takes impersonatedBy from what the person typed', () => {
    expect(provider.parseConfig({ url: 'https://pb.example.com', impersonatedBy: 'root@example.com' })).not.toHaveProperty('impersonatedBy')
  })

  it('refuses to sign in again to an impersonated account, without asking the server', async () => {
    const ctx = { clock: new FakeClock(), logger: recordingLogger() }
    // Port 9 (discard) on loopback: a request would fail with NETWORK, not UNSUPPORTED.
    const config = { url: 'http://127.0.0.1:9', collection: 'users', impersonatedBy: 'root@example.com' }
    const error: unknown = await provider.beginSignIn(config, ctx).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('UNSUPPORTED')
    expect((error as AppError).message).toBe('This session came from impersonation; impersonate again from the superuser account.')
  })

  it('says which accounts can sign in again, so the app offers it only to those', () => {
    expect(provider.canSignInAgain?.({ url: 'https://pb.example.com', collection: 'users' })).toBe(true)
    expect(provider.canSignInAgain?.({ url: 'https://pb.example.com', collection: 'users', impersonatedBy: 'root@example.com' })).toBe(false)
  })
})
