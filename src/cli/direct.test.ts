import { describe, expect, it } from 'vitest'
import { SESSION_TOKEN_BACKENDS } from '../main/core/cli/hand-out-rules.ts'
import { allProviders } from '../main/providers/index.ts'

describe('what the command may hand out by itself', () => {
  it('lists exactly the backends whose token for other tools is the session’s own access token', () => {
    const plain = allProviders()
      .filter((provider) => provider.handOut === undefined)
      .map((provider) => provider.kind)
    // A backend with a hand-out of its own (Teable's personal access token, Synmetrix's role) is the core's to answer.
    expect([...SESSION_TOKEN_BACKENDS].sort()).toEqual(plain.sort())
    expect(SESSION_TOKEN_BACKENDS).not.toContain('teable')
  })
})
