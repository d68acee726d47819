import { describe, expect, it } from 'vitest'
import { AppError } from '../core/errors.ts'
import { actionHandler } from './action-table.ts'

const TABLE = { profile: { save: 'save profile' }, tokens: { refresh: 'refresh token', delete: 'delete token' } }

describe('actionHandler', () => {
  it('finds the handler of a button on its form', () => {
    expect(actionHandler(TABLE, 'tokens', 'delete')).toBe('delete token')
    expect(actionHandler(TABLE, 'profile', 'save')).toBe('save profile')
  })

  it('refuses a form it does not have, a button of another form, and names every object has', () => {
    for (const [form, action] of [['password', 'change'], ['profile', 'delete'], ['constructor', 'save'], ['profile', 'constructor'], ['__proto__', 'toString']] as const) {
      expect(() => actionHandler(TABLE, form, action)).toThrow(new AppError('UNSUPPORTED', 'This account has no such action.'))
    }
  })
})
