import { describe, expect, it } from 'vitest'
import { choiceField } from './choice-field.ts'

describe('choiceField', () => {
  it('asks for one of the choices, the first picked to begin with', () => {
    const choices = [
      { value: 'f1', label: 'Phone' },
      { value: 'f2', label: 'Laptop' },
    ]
    expect(choiceField('factor', 'Authenticator', choices)).toEqual({ key: 'factor', label: 'Authenticator', kind: 'choice', required: true, value: 'f1', options: choices })
  })

  it('starts with nothing picked when there is nothing to pick', () => {
    expect(choiceField('token', 'Token', [])).toMatchObject({ value: '', options: [] })
  })
})
