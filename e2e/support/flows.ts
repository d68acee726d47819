/** Steps several tests share, in the words a person would use. */
import type { Locator } from '@playwright/test'
import { DEFAULT_DEMO_USERS, type DemoUser } from '../../src/dev/oidc/demo-users.ts'
import { signInAtProvider } from '../pages/app-page.ts'
import { expect, type Latchkey } from './fixtures.ts'

export const [alice, bob] = DEFAULT_DEMO_USERS as [DemoUser, DemoUser]

/** Add account → OpenID Connect → Sign in with browser → sign in at the provider; returns the new account, signed in. */
export async function addOidcAccount(
  latchkey: Latchkey,
  idp: { issuer: string; clientId: string },
  user: DemoUser,
  label?: string,
): Promise<Locator> {
  await latchkey.app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId, ...(label ? { label } : {}) })
  await signInAtProvider(await latchkey.nextBrowserPage(), user)
  const account = latchkey.app.account(label ?? user.email)
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  return account
}
