/** What a sign-out outcome says about the identity provider's browser session: what Latchkey did, nothing it cannot know. */
import type { SignOutOutcome } from '../../shared/contract.ts'

export function browserLogoutText(browserLogout: SignOutOutcome['browserLogout']): string {
  switch (browserLogout) {
    case 'opened':
      return 'Latchkey opened the identity provider’s sign-out page in your browser. You may still be signed in there until you finish on that page.'
    case 'failed':
      return 'Latchkey could not open the identity provider’s sign-out page in your browser, so you may still be signed in there.'
    case 'not-offered':
      return 'Latchkey opened no sign-out page: the identity provider offers none, so you may still be signed in there in your browser.'
    case 'not-asked':
      return 'Latchkey did not open the identity provider’s sign-out page, so you may still be signed in there in your browser.'
  }
}

/**
 * The lines under a sign-out's message: what the server and the browser did; none when there was no
 * session to end, and nothing of the server when it cannot revoke at all (the message says so).
 */
export function signOutDetails(outcome: SignOutOutcome): string[] {
  if (outcome.noSession === true) return []
  const server = outcome.revokedOnServer
    ? 'The server confirmed that it revoked the session.'
    : 'The server did not confirm revoking the session; it may stay valid there until it expires.'
  return [...(outcome.cannotRevoke === true ? [] : [server]), browserLogoutText(outcome.browserLogout)]
}
