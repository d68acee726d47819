/** The form marks a field that may be left empty "optional"; a label that says so too reads "(optional) optional". */
import { describe, expect, it } from 'vitest'
import { allProviders } from './index.ts'
import { signUpForm } from './teable/sign-in-forms.ts'

const saysOptional = /\boptional\b/i

describe('labels of fields that may be left empty', () => {
  it.each(allProviders().map((provider) => [provider.kind, provider] as const))('%s: "Add account" leaves the word "optional" to the form', (_kind, provider) => {
    const optional = provider.descriptor.fields.filter((field) => !field.required)
    expect(optional.filter((field) => saysOptional.test(field.label)).map((field) => field.label)).toEqual([])
  })

  it('Teable sign-up: the first space’s name is marked by the form alone', () => {
    const space = signUpForm('teable.example').fields.find((field) => field.key === 'spaceName')
    expect(space?.required).toBe(false)
    expect(space?.label).not.toMatch(saysOptional)
  })
})
