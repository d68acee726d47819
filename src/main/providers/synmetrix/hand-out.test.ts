/** What `latchkey token` hands out for a Synmetrix account: its access token and the role chosen for other tools. */
import { describe, expect, it } from 'vitest'
import { HandOutError } from '../../core/cli/hand-out-error.ts'
import type { CliConsent } from '../../../shared/contract.ts'
import { ALICE, coreWithAccount, useHarness } from './test-harness.ts'

const caller = { pid: 4242, command: ['/usr/bin/curl', '-s', 'https://example.test/graphql'] }

async function refusal(promise: Promise<unknown>): Promise<HandOutError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof HandOutError)) throw new Error(`expected a refusal, got ${String(error)}`)
  return error
}

describe('Synmetrix token hand-out', () => {
  const harness = useHarness()

  it('hands out the access token with the role the person chose; --role picks another allowed one; never a refresh token', async () => {
    const { latchkey, id } = await coreWithAccount(harness, ALICE)
    try {
      latchkey.setCliAccess(id, true)
      const plain = await latchkey.cliToken({ caller })
      expect(plain.role).toBe('user')
      await latchkey.runAccountAction(id, 'role', 'save', { role: 'analyst' })
      const chosen = await latchkey.cliToken({ caller })
      expect(chosen).toMatchObject({ role: 'analyst', provider: 'synmetrix', accountId: id })
      expect(chosen.token.split('.')).toHaveLength(3)
      expect((await latchkey.cliToken({ caller, role: 'user' })).role).toBe('user')
      const admin = await refusal(latchkey.cliToken({ caller, role: 'admin' }))
      expect(admin.reason).toBe('unsupported')
      expect(admin.message).toContain('allowed: user, analyst')
      expect((await refusal(latchkey.cliToken({ caller, idToken: true }))).reason).toBe('unsupported')
      // Nothing handed out is a refresh token (HBP's are UUIDs).
      expect(chosen.token).not.toMatch(/^[0-9a-f-]{36}$/)
    } finally {
      latchkey.dispose()
    }
  })

  it('asks the open window once for an account that is off: Deny refuses, Once lets one through, Always turns access on', async () => {
    const { latchkey, id } = await coreWithAccount(harness, ALICE)
    try {
      const asked: CliConsent[][] = []
      latchkey.subscribe((event, payload) => {
        if (event === 'cli:consent') asked.push(payload as CliConsent[])
      })
      // No window: refused with the step that allows it.
      const closed = await refusal(latchkey.cliToken({ caller }))
      expect(closed.reason).toBe('not-allowed')
      expect(closed.hint).toContain('turn on “Allow command-line tools”')
      expect(asked).toEqual([])

      latchkey.setPromptable(() => true)
      const answer = async (value: 'once' | 'always' | 'deny'): Promise<void> => {
        await expect.poll(() => latchkey.consentPrompts().length).toBe(1)
        const [prompt] = latchkey.consentPrompts()
        expect(prompt).toMatchObject({ accountId: id, command: 'curl', account: ALICE.email })
        latchkey.answerConsent(prompt?.id ?? '', value)
      }
      // Two callers at once share one question.
      const denied = Promise.all([refusal(latchkey.cliToken({ caller })), refusal(latchkey.cliToken({ caller }))])
      await answer('deny')
      expect((await denied).map((e) => e.reason)).toEqual(['denied', 'denied'])
      expect(asked.filter((open) => open.length > 0)).toHaveLength(1)

      const once = latchkey.cliToken({ caller })
      await answer('once')
      expect((await once).token.length).toBeGreaterThan(20)
      expect(latchkey.cliAccess(id).allowed).toBe(false)

      const always = latchkey.cliToken({ caller })
      await answer('always')
      await always
      expect(latchkey.cliAccess(id).allowed).toBe(true)
      // Allowed now: no question.
      await latchkey.cliToken({ caller })
      expect(latchkey.consentPrompts()).toEqual([])
    } finally {
      latchkey.dispose()
    }
  })

  it('"Revoke all" turns access off and signs the account out', async () => {
    const { latchkey, id } = await coreWithAccount(harness, ALICE)
    try {
      latchkey.setCliAccess(id, true)
      const outcome = await latchkey.revokeAll(id)
      expect(outcome.message).toMatch(/^Command-line access is off\./)
      expect(latchkey.cliAccess(id).allowed).toBe(false)
      expect(latchkey.summary(id).status).toBe('signed-out')
      const after = await refusal(latchkey.cliToken({ caller, account: id }))
      expect(after.reason).toBe('not-allowed')
    } finally {
      latchkey.dispose()
    }
  })
})
