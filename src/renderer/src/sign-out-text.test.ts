import { describe, expect, it } from 'vitest'
import { browserLogoutText } from './sign-out-text.ts'

describe('what a sign-out says about the browser session', () => {
  it('says what Latchkey did, not what the identity provider did', () => {
    expect(browserLogoutText('opened')).toMatch(/^Latchkey opened the identity provider’s sign-out page/)
    expect(browserLogoutText('opened')).not.toMatch(/end its own session/)
  })

  it('tells a page that could not be opened from a provider that offers none', () => {
    expect(browserLogoutText('failed')).toMatch(/could not open/)
    expect(browserLogoutText('not-offered')).toMatch(/offers none/)
  })
})
