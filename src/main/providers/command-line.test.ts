import { describe, expect, it } from 'vitest'
import { PROVIDER_KINDS } from '../../shared/contract.ts'
import { COMMAND_LINE_BACKENDS } from './command-line.ts'
import { allProviders } from './index.ts'

describe('what the latchkey command knows of each backend', () => {
  it('is, for every backend, what its provider does: the same name, hand-out and renewal', () => {
    const providers = allProviders()
    expect(Object.keys(COMMAND_LINE_BACKENDS).sort()).toEqual([...PROVIDER_KINDS].sort())
    for (const provider of providers) {
      const known = COMMAND_LINE_BACKENDS[provider.kind]
      // The very functions: an answer without the core cannot drift from the core's (compared, never called here).
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const { backendName, handOut } = provider
      expect(known.backendName, provider.kind).toBe(backendName)
      expect(known.handOut, provider.kind).toBe(handOut)
      expect(known.refreshesWithoutRefreshToken, provider.kind).toBe(provider.refreshesWithoutRefreshToken === true)
      expect(known.checksSessions, provider.kind).toBe(typeof provider.checkSession === 'function')
    }
    // Teable hands out its personal access token, Synmetrix adds a role: their own hand-outs.
    expect(COMMAND_LINE_BACKENDS.teable.handOut).toBeDefined()
    expect(COMMAND_LINE_BACKENDS.synmetrix.handOut).toBeDefined()
  })
})
