import { describe, expect, it } from 'vitest'
import { authError, describeCode } from './errors.ts'
import { ERROR_MESSAGES } from './error-messages.ts'
import { SERVER_ERROR_CODES } from './testing/server-error-codes.ts'

describe('Supabase error messages', () => {
  it('every error_code the pinned server has gets words a person understands, with the host filled in', () => {
    const missing = SERVER_ERROR_CODES.filter((code) => describeCode(code, 'auth.example.test') === null)
    expect(missing).toEqual([])
    for (const code of SERVER_ERROR_CODES) expect(describeCode(code, 'auth.example.test')).not.toMatch(/\{host\}|_/)
  })

  it('knows no code the server does not have', () => {
    expect(Object.keys(ERROR_MESSAGES).filter((code) => !SERVER_ERROR_CODES.includes(code))).toEqual([])
  })

  it('a general refusal (validation_failed) adds the server’s own words, which say what was wrong', () => {
    const refusal = (message: string) => authError({ name: 'AuthApiError', status: 400, code: 'validation_failed', message, __isAuthError: true }, 'auth.example.test', 0, { validation_failed: 'email' })
    expect(refusal('Unable to validate email address: invalid format')).toMatchObject({
      code: 'VALIDATION',
      field: 'email',
      message: 'auth.example.test did not accept what was sent (it said: “Unable to validate email address: invalid format”).',
    })
    expect(refusal('').message).toBe('auth.example.test did not accept what was sent.')
  })

  it('a code it does not know yet shows the server’s own words, not a raw code', () => {
    const error = authError({ name: 'AuthApiError', status: 400, code: 'brand_new_code', message: 'Something new went wrong', __isAuthError: true }, 'auth.example.test', 0)
    expect(error.message).toBe('auth.example.test refused: Something new went wrong')
  })
})
