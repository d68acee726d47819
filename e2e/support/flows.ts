/** Steps several tests share, in the words a person would use. */
import type { Locator } from '@playwright/test'
import { DEFAULT_DEMO_USERS, type DemoUser } from '../../src/dev/oidc/demo-users.ts'
import { DEMO_POCKETBASE_SUPERUSERS, DEMO_POCKETBASE_USERS } from '../../src/dev/pocketbase/demo-users.ts'
import type { EmulatorUser, PocketBaseEmulator } from '../../src/dev/pocketbase/server.ts'
import { TOTP } from 'otpauth'
import { DEMO_SYNMETRIX_USERS } from '../../src/dev/synmetrix/demo-users.ts'
import type { EmulatorUser as SynmetrixUser } from '../../src/dev/synmetrix/server.ts'
import { signInAtProvider } from '../pages/app-page.ts'
import { expect, type Latchkey } from './fixtures.ts'
import { typedCode } from './passwords.ts'

export const [alice, bob] = DEFAULT_DEMO_USERS as [DemoUser, DemoUser]
/** ada signs in with a password alone; grace's collection rule asks her for a second step (MFA). */
export const [ada, grace] = DEMO_POCKETBASE_USERS as [EmulatorUser, EmulatorUser]
export const [root] = DEMO_POCKETBASE_SUPERUSERS as [EmulatorUser]

/** The switcher names a new PocketBase account "<email> @ <host>" unless it was given a name. */
export function pocketBaseLabel(email: string): RegExp {
  return new RegExp(`^${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} @ `)
}

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

/**
 * Add account → PocketBase / BosBase → server address (and collection) → Continue → email and
 * password → Sign in; returns the new account, signed in. For people without a second step.
 */
export async function addPocketBaseAccount(
  latchkey: Latchkey,
  pb: { url: string },
  user: EmulatorUser,
  options: { collection?: string; label?: string } = {},
): Promise<Locator> {
  const { app } = latchkey
  await app.startPocketBaseSignIn({ url: pb.url, ...options })
  const form = app.signInStep('password')
  await form.getByLabel('Email', { exact: true }).fill(user.email)
  await form.getByLabel('Password', { exact: true }).fill(user.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  const account = app.account(options.label ?? pocketBaseLabel(user.email))
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  return account
}

/** How many renewals (or, for a static token, checks) the server accepted so far. */
export function acceptedRenewals(pb: Pick<PocketBaseEmulator, 'requests'>): number {
  return pb.requests().filter((request) => request.path.endsWith('/auth-refresh') && request.status === 200).length
}

/** The Synmetrix demo people: ada (roles user and manager) and grace (asks for an authenticator code). */
export const [synAda, synGrace] = DEMO_SYNMETRIX_USERS as [SynmetrixUser & { password: string }, SynmetrixUser & { password: string }]

/** Add account → Synmetrix → address → Continue: the first sign-in form. */
export async function startSynmetrixSignIn(latchkey: Latchkey, hbp: { url: string }): Promise<Locator> {
  const { app } = latchkey
  await app.addAccount(/^Synmetrix/)
  await app.page.getByLabel('Synmetrix address').fill(hbp.url)
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  const form = app.signInStep('password')
  await expect(form).toBeVisible()
  return form
}

/** Add account → Synmetrix → email and password → Sign in; returns the new account, signed in. For people without MFA. */
export async function addSynmetrixAccount(latchkey: Latchkey, hbp: { url: string }, user: { email: string; password: string }): Promise<Locator> {
  const form = await startSynmetrixSignIn(latchkey, hbp)
  await form.getByLabel('Email', { exact: true }).fill(user.email)
  await form.getByLabel('Password', { exact: true }).fill(user.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  const account = latchkey.app.account(pocketBaseLabel(user.email))
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  return account
}

/** The code an authenticator app shows now for `secret` (remembered for the leak check). */
export function authenticatorCode(secret: string): string {
  return typedCode(new TOTP({ secret, digits: 6, period: 30 }).generate())
}
