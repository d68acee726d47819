/** Every backend's settings fields that are picked from a list: what the list offers, the backend takes. */
import { describe, expect, it } from 'vitest'
import type { ConfigField } from '../../shared/contract.ts'
import { AppError } from '../core/errors.ts'
import { allProviders } from './index.ts'

/** A value each kind of field takes, for the fields around the one checked. */
function sample(field: ConfigField): string {
  if (field.defaultValue !== undefined) return field.defaultValue
  return field.kind === 'url' ? 'https://example.test' : field.kind === 'number' ? '8765' : field.required ? 'sample' : ''
}

/** The field a settings check refused, or null when it took them. */
function refusedField(parse: () => unknown): string | null {
  try {
    parse()
    return null
  } catch (error) {
    if (error instanceof AppError) return error.field ?? 'unnamed'
    throw error
  }
}

const choices = allProviders().flatMap((provider) =>
  provider.descriptor.fields.filter((field) => field.kind === 'choice').map((field) => ({ provider, field })),
)

describe('settings picked from a list', () => {
  it('exist (OpenID Connect consent, PocketBase OAuth2 redirect)', () => {
    expect(choices.map(({ provider, field }) => `${provider.kind}.${field.key}`)).toEqual(expect.arrayContaining(['oidc.consent', 'pocketbase.oauth2Redirect']))
  })

  it.each(choices.map(({ provider, field }) => [`${provider.kind}.${field.key}`, provider, field] as const))('%s: each option is taken, the default is one of them', (_name, provider, field) => {
    const options = field.options ?? []
    expect(options.length).toBeGreaterThanOrEqual(2)
    expect(options.map((option) => option.value)).toContain(field.defaultValue)
    expect(new Set(options.map((option) => option.label)).size).toBe(options.length)
    const around = Object.fromEntries(provider.descriptor.fields.map((other) => [other.key, sample(other)]))
    // The check is live for this field: a value the list does not offer is refused on it.
    expect(refusedField(() => provider.parseConfig({ ...around, [field.key]: 'none of the options' }))).toBe(field.key)
    for (const option of options) expect(refusedField(() => provider.parseConfig({ ...around, [field.key]: option.value }))).toBeNull()
  })
})
