import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.ts'
import { createOidcProvider } from './provider.ts'

const provider = createOidcProvider()

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

describe('OpenID Connect settings', () => {
  it('accepts an https issuer and fills the defaults', () => {
    const config = provider.parseConfig({ issuer: ' https://id.example.com/realms/main ', clientId: ' desktop ' })
    expect(config).toEqual({
      issuer: 'https://id.example.com/realms/main',
      clientId: 'desktop',
      scopes: 'openid profile email offline_access',
      redirectPath: '/callback',
    })
    expect(provider.backendName(config)).toBe('id.example.com')
  })

  it('keeps an optional secret, pinned port, path and scopes', () => {
    const config = provider.parseConfig({
      issuer: 'https://id.example.com',
      clientId: 'desktop',
      clientSecret: 's3cret',
      scopes: 'openid  email',
      redirectPort: '8765',
      redirectPath: '/oauth/done',
    })
    expect(config).toMatchObject({ clientSecret: 's3cret', scopes: 'openid email', redirectPort: '8765', redirectPath: '/oauth/done' })
  })

  it('drops an empty secret and port', () => {
    const config = provider.parseConfig({ issuer: 'https://id.example.com', clientId: 'd', clientSecret: '', redirectPort: '' })
    expect(config).not.toHaveProperty('clientSecret')
    expect(config).not.toHaveProperty('redirectPort')
  })

  it('allows http only for loopback issuers', () => {
    for (const issuer of ['http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000']) {
      expect(provider.parseConfig({ issuer, clientId: 'd' }).issuer).toBe(issuer)
    }
    const error = validationError({ issuer: 'http://id.example.com', clientId: 'd' })
    expect(error.field).toBe('issuer')
    expect(error.message).toBe('Use an https:// issuer URL.')
  })

  it.each([
    [{ clientId: 'd' }, 'issuer'],
    [{ issuer: 'not a url', clientId: 'd' }, 'issuer'],
    [{ issuer: 'ftp://id.example.com', clientId: 'd' }, 'issuer'],
    [{ issuer: 'https://id.example.com?x=1', clientId: 'd' }, 'issuer'],
    [{ issuer: 'https://id.example.com' }, 'clientId'],
    [{ issuer: 'https://id.example.com', clientId: '  ' }, 'clientId'],
    [{ issuer: 'https://id.example.com', clientId: 'd', scopes: 'profile email' }, 'scopes'],
    [{ issuer: 'https://id.example.com', clientId: 'd', redirectPort: '70000' }, 'redirectPort'],
    [{ issuer: 'https://id.example.com', clientId: 'd', redirectPort: '80a' }, 'redirectPort'],
    [{ issuer: 'https://id.example.com', clientId: 'd', redirectPath: 'callback' }, 'redirectPath'],
  ])('rejects %j on %s', (input, field) => {
    expect(validationError(input as Record<string, string>).field).toBe(field)
  })

  it('says that scopes must include openid', () => {
    expect(validationError({ issuer: 'https://id.example.com', clientId: 'd', scopes: 'email' }).message).toBe(
      'The scopes must include openid.',
    )
  })
})
