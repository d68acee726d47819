/** What the person types on "Add account" for an Authing app. */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.ts'
import { parseAuthingConfig, readSettings, registeredRedirect } from './config.ts'

const BASE = { appHost: 'https://my-app.authing.cn/', userPoolId: '62e2a0c4d2c1a4f1e8a0b001', appId: '62e2a0c4d2c1a4f1e8a0b002' }

function problem(input: Record<string, string>): { field: string | undefined; message: string } {
  try {
    parseAuthingConfig(input)
  } catch (error) {
    if (error instanceof AppError) return { field: error.field, message: error.message }
  }
  throw new Error('expected a validation error')
}

describe('Authing settings', () => {
  it('keeps the app host without a trailing slash, and no browser sign-in without a port', () => {
    const settings = readSettings(parseAuthingConfig(BASE))
    expect(settings).toMatchObject({ appHost: 'https://my-app.authing.cn', host: 'my-app.authing.cn', redirectPort: null, oidcClientId: null })
    expect(registeredRedirect(settings)).toBeNull()
  })

  it('shows the callback exactly as it must be registered, the client id defaulting to the app id', () => {
    const settings = readSettings(parseAuthingConfig({ ...BASE, redirectPort: '53682' }))
    expect(registeredRedirect(settings)).toBe('http://127.0.0.1:53682/callback')
    expect(settings.oidcClientId).toBe(BASE.appId)
  })

  it('names the field of each problem', () => {
    expect(problem({ ...BASE, appHost: 'http://my-app.authing.cn' })).toMatchObject({ field: 'appHost', message: expect.stringMatching(/https/) })
    expect(problem({ ...BASE, userPoolId: '' }).field).toBe('userPoolId')
    expect(problem({ ...BASE, appId: 'has spaces' }).field).toBe('appId')
    expect(problem({ ...BASE, redirectPort: '80' }).field).toBe('redirectPort')
    expect(problem({ ...BASE, redirectPath: 'callback' }).field).toBe('redirectPath')
  })
})
