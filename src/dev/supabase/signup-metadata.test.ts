/**
 * What a new account's user_metadata holds, on the emulator and on the real Supabase Auth: the
 * server copies the email identity's data (sub, email, email_verified, phone_verified) into it
 * beside the sign-up `data`, and marks email_verified once the mailed code is verified. Clients
 * (the seed's Python SDK among them) show these fields as the person's metadata.
 */
import { describe, expect, it } from 'vitest'
import { TARGETS, useTargetServer } from '../../main/providers/supabase/test-targets.ts'

describe.each(TARGETS)('a new account’s user_metadata on the $name', (target) => {
  const current = useTargetServer(target, { maxFrequencySeconds: 1 })

  async function call(path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
    const server = current()
    const response = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', apikey: server.anonKey, authorization: `Bearer ${token ?? server.anonKey}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    expect(response.status).toBe(200)
    return (await response.json()) as Record<string, unknown>
  }

  async function code(to: string): Promise<string> {
    for (let i = 0; i < 60; i += 1) {
      const mail = current().mails().find((m) => m.to === to)
      const found = mail === undefined ? undefined : /Code: (\d{6})/.exec(mail.text)?.[1]
      if (found !== undefined) return found
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`no email to ${to}`)
  }

  const unique = (): string => `m${String(process.pid)}-${Math.random().toString(36).slice(2, 10)}@example.test`

  it('sign-up copies the email identity into it, and the code verifies the email there', async () => {
    const email = unique()
    const user = await call('/signup', { email, password: 'a-long-password', data: { plan: 'free' } })
    expect(user.user_metadata).toEqual({ sub: user.id, email, email_verified: false, phone_verified: false, plan: 'free' })
    const session = await call('/verify', { type: 'signup', email, token: await code(email) })
    const me = await call('/user', undefined, String(session.access_token))
    expect(me.user_metadata).toEqual({ sub: user.id, email, email_verified: true, phone_verified: false, plan: 'free' })
  })

  it('an account made by an emailed code holds the same', async () => {
    const email = unique()
    await call('/otp', { email, data: { plan: 'trial' } })
    const session = await call('/verify', { type: 'email', email, token: await code(email) })
    const user = session.user as Record<string, unknown>
    expect(user.user_metadata).toEqual({ sub: user.id, email, email_verified: true, phone_verified: false, plan: 'trial' })
  })
})
