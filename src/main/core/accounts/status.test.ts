import { describe, expect, it } from 'vitest'
import { SIGNED_OUT, transition, type AccountState } from './status.ts'

const signedIn: AccountState = { status: 'signed-in', attention: null }
const at = new Date(2026, 10, 22, 14, 2, 30).getTime()

describe('account status transitions', () => {
  it('goes signed-in → refreshing → signed-in', () => {
    const refreshing = transition(signedIn, { type: 'refresh-started' })
    expect(refreshing).toEqual({ status: 'refreshing', attention: null })
    expect(transition(refreshing, { type: 'refresh-succeeded' })).toEqual(signedIn)
  })

  it('marks a rejected refresh as needing attention, with the time it happened', () => {
    const next = transition({ status: 'refreshing', attention: null }, { type: 'refresh-rejected', at })
    expect(next.status).toBe('needs-attention')
    expect(next.attention).toEqual({
      reason: 'refresh-rejected',
      message: 'The server refused to renew this session. Sign in again.',
      since: new Date(at).toISOString(),
    })
  })

  it('uses the message a rejection came with', () => {
    const next = transition(signedIn, { type: 'refresh-rejected', at, message: 'The session was revoked. Sign in again.' })
    expect(next.attention?.message).toBe('The session was revoked. Sign in again.')
  })

  it('reports network failures with the local time they started, and keeps that time while still failing', () => {
    const first = transition({ status: 'refreshing', attention: null }, { type: 'network-failed', at })
    expect(first.status).toBe('needs-attention')
    expect(first.attention?.reason).toBe('network-down')
    expect(first.attention?.message).toBe("Can't reach the server since 14:02; retrying.")
    expect(first.attention?.since).toBe(new Date(at).toISOString())

    const retrying = transition(first, { type: 'refresh-started' })
    expect(retrying.status).toBe('refreshing')
    expect(retrying.attention).toEqual(first.attention)

    const later = at + 17 * 60_000
    const second = transition(retrying, { type: 'network-failed', at: later })
    expect(second.attention?.since).toBe(new Date(at).toISOString())
    expect(second.attention?.message).toContain('14:02')

    expect(transition(second, { type: 'refresh-succeeded' })).toEqual(signedIn)
  })

  it('starts a new "since" when the network fails after a different problem', () => {
    const rejected = transition(signedIn, { type: 'refresh-rejected', at })
    const later = at + 60 * 60_000
    const down = transition(rejected, { type: 'network-failed', at: later })
    expect(down.attention?.since).toBe(new Date(later).toISOString())
  })

  it.each([
    ['keychain-unavailable', 'keychain'],
    ['expired', 'Sign in again'],
    ['revoked', 'Sign in again'],
  ] as const)('marks %s with a reason a person can act on', (type, words) => {
    const next = transition(signedIn, { type, at })
    expect(next.status).toBe('needs-attention')
    expect(next.attention?.reason).toBe(type)
    expect(next.attention?.message).toContain(words)
    expect(next.attention?.since).toBe(new Date(at).toISOString())
  })

  it('clears the attention when the person signs in again', () => {
    const rejected = transition(signedIn, { type: 'refresh-rejected', at })
    expect(transition(rejected, { type: 'signed-in' })).toEqual(signedIn)
  })

  it('signs out from any state, and stays signed out until a new sign-in', () => {
    const rejected = transition(signedIn, { type: 'refresh-rejected', at })
    expect(transition(rejected, { type: 'signed-out' })).toEqual(SIGNED_OUT)
    expect(transition(signedIn, { type: 'signed-out' })).toEqual(SIGNED_OUT)
    for (const event of [
      { type: 'refresh-started' },
      { type: 'refresh-succeeded' },
      { type: 'network-failed', at },
      { type: 'expired', at },
      { type: 'keychain-unavailable', at },
    ] as const) {
      expect(transition(SIGNED_OUT, event)).toEqual(SIGNED_OUT)
    }
    expect(transition(SIGNED_OUT, { type: 'signed-in' })).toEqual(signedIn)
  })
})
