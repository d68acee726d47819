import { describe, expect, it } from 'vitest'
import { browserLogoutText, signOutDetails } from './sign-out-text.ts'

describe('what a sign-out says about the browser session', () => {
  it('says what Latchkey did, not what the identity provider did', () => {
    expect(browserLogoutText('opened')).toMatch(/^Latchkey opened the identity provider’s sign-out page/)
    expect(browserLogoutText('opened')).not.toMatch(/end its own session/)
  })

  it('tells a page that could not be opened from a provider that offers none', () => {
    expect(browserLogoutText('failed')).toMatch(/could not open/)
    expect(browserLogoutText('not-offered')).toMatch(/offers none/)
  })

  it('does not say the provider offers no sign-out page when Latchkey was not asked to open it ("Revoke all")', () => {
    expect(browserLogoutText('not-asked')).toMatch(/^Latchkey did not open the identity provider’s sign-out page/)
    expect(browserLogoutText('not-asked')).not.toMatch(/offers none/)
  })

  it('says nothing of a server or a browser when there was no session to end', () => {
    expect(signOutDetails({ revokedOnServer: false, browserLogout: 'not-offered', noSession: true, message: 'This account was not signed in.' })).toEqual([])
    expect(signOutDetails({ revokedOnServer: false, browserLogout: 'not-offered', message: 'Signed out on this device.' })).toEqual([
      'The server did not confirm revoking the session; it may stay valid there until it expires.',
      browserLogoutText('not-offered'),
    ])
  })

  it('does not repeat, less exactly, that a server which cannot revoke did not (PocketBase)', () => {
    const outcome = { revokedOnServer: false, cannotRevoke: true, browserLogout: 'not-offered', message: 'Latchkey forgot this session, but pb.example.test cannot revoke a token: it stays valid until 2030-01-01 00:00 UTC.' } as const
    expect(signOutDetails(outcome)).toEqual([browserLogoutText('not-offered')])
  })
})
