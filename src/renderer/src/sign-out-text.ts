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
  }
}
