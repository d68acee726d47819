import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.ts'
import { createSupabaseProvider } from './provider.ts'

const provider = createSupabaseProvider()
const key = (role: string): Promise<string> =>
  new SignJWT({ role, iss: 'supabase' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(new TextEncoder().encode('x'.repeat(32)))

function refusal(input: Record<string, string>): AppError {
  try {
    provider.parseConfig(input)
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error('expected the configuration to be refused')
}

describe('Supabase configuration', () => {
  it('a hosted project URL means its Auth server under /auth/v1; a self-hosted root is kept', async () => {
    const anon = await key('anon')
    expect(provider.parseConfig({ url: 'https://abcdefghijklmnop.supabase.co/', apiKey: anon })).toEqual({ url: 'https://abcdefghijklmnop.supabase.co/auth/v1', apiKey: anon })
    expect(provider.parseConfig({ url: 'https://auth.example.com/gotrue', apiKey: 'sb_publishable_abc123' })).toEqual({ url: 'https://auth.example.com/gotrue', apiKey: 'sb_publishable_abc123' })
    expect(provider.backendName({ url: 'https://abcdefghijklmnop.supabase.co/auth/v1', apiKey: anon })).toBe('abcdefghijklmnop.supabase.co')
  })

  it('refuses the service_role key and secret keys, saying why', async () => {
    const service = refusal({ url: 'https://abcdefghijklmnop.supabase.co', apiKey: await key('service_role') })
    expect(service).toMatchObject({ code: 'VALIDATION', field: 'apiKey' })
    expect(service.message).toContain('service_role key')
    expect(service.message).toContain('never be put in a desktop app')
    const secret = refusal({ url: 'https://abcdefghijklmnop.supabase.co', apiKey: 'sb_secret_abcdef' })
    expect(secret.message).toContain('secret key (sb_secret_…)')
    expect(refusal({ url: 'https://abcdefghijklmnop.supabase.co', apiKey: 'hello' }).message).toContain('does not look like a Supabase API key')
  })

  it('refuses plain http except on this computer, and a missing key', () => {
    expect(refusal({ url: 'http://example.com', apiKey: 'sb_publishable_x' })).toMatchObject({ field: 'url', message: 'Use an https:// project URL.' })
    expect(refusal({ url: 'https://x.supabase.co', apiKey: ' ' })).toMatchObject({ field: 'apiKey', message: 'Enter the project’s anon or publishable key.' })
  })
})
