import { describe, expect, it } from 'vitest'
import { newPasswordPair } from './new-password-pair.ts'

describe('newPasswordPair', () => {
  it('asks for the new password with the backend’s minimum, then for the same again', () => {
    const [password, again] = newPasswordPair(8)
    expect(password).toMatchObject({ key: 'password', label: 'New password', kind: 'new-password', required: true, minLength: 8 })
    expect(again).toMatchObject({ key: 'passwordConfirm', label: 'Repeat the new password', kind: 'new-password', required: true, sameAs: 'password' })
    expect(newPasswordPair(6)[0]?.minLength).toBe(6)
  })

  it('gives each form its own fields, so one form’s changes never reach another', () => {
    const first = newPasswordPair(6)
    const second = newPasswordPair(6)
    expect(second).toEqual(first)
    expect(second[0]).not.toBe(first[0])
  })
})
