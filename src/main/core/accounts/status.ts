/**
 * The account state the UI shows: signed in, refreshing, needs attention (with the reason), signed
 * out. A pure transition function; the session keeper feeds it events and stores the result.
 */
import type { AccountStatus, Attention, AttentionReason } from '../../../shared/contract.ts'
import { clockTime } from '../iso-time.ts'
import { minuteAtOrAfter } from '../retry-at.ts'

export interface AccountState {
  status: AccountStatus
  attention: Attention | null
}

/** `at` is the time of the event in ms since the epoch. */
export type StatusEvent =
  | { type: 'signed-in' }
  | { type: 'refresh-started' }
  | { type: 'refresh-succeeded' }
  /** `message`: a sentence safe to show (e.g. a RefreshRejectedError's); a plain default without it. */
  | { type: 'refresh-rejected'; at: number; message?: string }
  | { type: 'revoked'; at: number; message?: string }
  | { type: 'network-failed'; at: number }
  /** The server said not before `retryAt` (ms since the epoch); renewal waits for it. */
  | { type: 'rate-limited'; at: number; retryAt: number }
  | { type: 'keychain-unavailable'; at: number }
  | { type: 'expired'; at: number; message?: string }
  | { type: 'signed-out' }

export const SIGNED_OUT: Readonly<AccountState> = Object.freeze({ status: 'signed-out', attention: null })

const MESSAGES: Record<Exclude<AttentionReason, 'network-down' | 'rate-limited'>, string> = {
  'refresh-rejected': 'The server refused to renew this session. Sign in again.',
  revoked: 'This session was ended on the server. Sign in again.',
  'keychain-unavailable': "This session couldn't be read from the keychain. Unlock your keyring and choose Try again, or sign in again.",
  expired: 'This session has expired and cannot be renewed. Sign in again.',
}

export function transition(state: AccountState, event: StatusEvent): AccountState {
  // A signed-out account stays signed out until someone signs in again.
  if (state.status === 'signed-out' && event.type !== 'signed-in') return state
  switch (event.type) {
    case 'signed-in':
    case 'refresh-succeeded':
      return { status: 'signed-in', attention: null }
    case 'refresh-started':
      // The attention stays visible while a retry runs, so "since" survives a failing retry.
      return { status: 'refreshing', attention: state.attention }
    case 'refresh-rejected':
      return attention('refresh-rejected', event.at, event.message?.trim() || MESSAGES['refresh-rejected'])
    case 'network-failed': {
      const since = state.attention?.reason === 'network-down' ? Date.parse(state.attention.since) : event.at
      return attention('network-down', since, `Can't reach the server since ${clockTime(since)}; retrying.`)
    }
    case 'rate-limited': {
      const since = state.attention?.reason === 'rate-limited' ? Date.parse(state.attention.since) : event.at
      const message = `The server is limiting requests. Renewal will try again at ${clockTime(minuteAtOrAfter(event.retryAt))}.`
      return attention('rate-limited', since, message, event.retryAt)
    }
    case 'revoked':
      return attention('revoked', event.at, event.message?.trim() || MESSAGES.revoked)
    case 'keychain-unavailable':
      return attention(event.type, event.at, MESSAGES[event.type])
    case 'expired':
      return attention(event.type, event.at, event.message ?? MESSAGES.expired)
    case 'signed-out':
      return SIGNED_OUT
  }
}

function attention(reason: AttentionReason, at: number, message: string, retryAt?: number): AccountState {
  const since = new Date(at).toISOString()
  return { status: 'needs-attention', attention: retryAt === undefined ? { reason, message, since } : { reason, message, since, retryAt: new Date(retryAt).toISOString() } }
}
