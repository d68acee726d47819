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

  it('a code it does not know yet shows the server’s own words, not a raw code', () => {
    const error = authError({ name: 'AuthApiError', status: 400, code: 'brand_new_code', message: 'Something new went wrong', __isAuthError: true }, 'auth.example.test', 0)
    expect(error.message).toBe('auth.example.test refused: Something new went wrong')
  })
})
