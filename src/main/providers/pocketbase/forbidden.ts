/**
 * Why PocketBase answered 403 to a sign-in or a renewal, from its own words (apis/record_helpers.go,
 * apis/middlewares.go): the method is turned off for the collection, the record does not meet the
 * collection's auth rule (e.g. `verified = true`), a superuser calls from an address outside the
 * SuperuserIPs allow-list (the generic "You are not allowed to perform this request."), or the token
 * belongs to another collection. Each gets its own sentence, with the server's reason quoted.
 */
import type { PocketBaseFailure } from './errors.ts'

export type ForbiddenReason = 'method-off' | 'auth-rule' | 'superuser-ip' | 'other-collection' | 'other'

const GENERIC_FORBIDDEN = /^You are not allowed to perform this request\.?$/i

export function forbiddenReason(failure: Extract<PocketBaseFailure, { kind: 'http' }>, collection: string): ForbiddenReason {
  const message = failure.message
  if (/not configured to allow/i.test(message)) return 'method-off'
  if (/doesn't satisfy the collection requirements to authenticate/i.test(message)) return 'auth-rule'
  if (/requires auth record from .* collection/i.test(message)) return 'other-collection'
  if (collection === '_superusers' && (message === '' || GENERIC_FORBIDDEN.test(message))) return 'superuser-ip'
  return 'other'
}

/**
 * PocketBase 0.23 to 0.28 answer auth-refresh with a static (impersonate) token with this 403, after
 * their auth middleware has accepted the token (0.29 hands the token back instead): it still works.
 */
export function refusedAsNotRefreshable(failure: Extract<PocketBaseFailure, { kind: 'http' }>): boolean {
  return failure.status === 403 && /^The current auth token is not refreshable\.?$/i.test(failure.message)
}

/** “The server's words” for a message, or nothing when it sent none. */
export function quoted(failure: Extract<PocketBaseFailure, { kind: 'http' }>): string {
  return failure.message === '' ? '' : ` (the server said: “${failure.message}”)`
}

/** The sentence for a sign-in the server refused with 403; `method` is the method's name ("Password"). */
export function signInForbiddenMessage(failure: Extract<PocketBaseFailure, { kind: 'http' }>, host: string, collection: string, method: string): string {
  switch (forbiddenReason(failure, collection)) {
    case 'method-off':
      return `${method} sign-in is turned off for this collection on ${host}.`
    case 'auth-rule':
      return `${host} does not let this account sign in: it does not meet the collection’s sign-in rule${quoted(failure)}. The server’s administrator sets that rule, for example to require a verified email.`
    case 'superuser-ip':
      return `${host} refused the superuser sign-in from this computer’s address: its superuser IP allow-list does not include it${quoted(failure)}.`
    case 'other-collection':
    case 'other':
      return `${host} refused the sign-in${quoted(failure)}.`
  }
}

/** The sentence for a renewal the server refused with 403. */
export function renewalForbiddenMessage(failure: Extract<PocketBaseFailure, { kind: 'http' }>, host: string, collection: string): string {
  switch (forbiddenReason(failure, collection)) {
    case 'auth-rule':
      return `${host} no longer lets this account sign in: it does not meet the collection’s sign-in rule${quoted(failure)}. Sign in again once the server’s administrator allows it.`
    case 'superuser-ip':
      return `${host} refuses this superuser session from this computer’s address: its superuser IP allow-list does not include it${quoted(failure)}.`
    case 'other-collection':
      return `${host} says this session is not one of the “${collection}” collection${quoted(failure)}. Sign in again.`
    case 'method-off':
    case 'other':
      return `${host} refused to renew the session${quoted(failure)}. Sign in again.`
  }
}
