/**
 * A refresh token that cannot be one of the server's (its tokens are 12 letters and digits) is
 * refused as malformed before any look-up, on the emulator as on the real Supabase Auth; a
 * well-formed one it never issued is "not found".
 */
import { describe, expect, it } from 'vitest'
import { TARGETS, useTargetServer } from '../../main/providers/supabase/test-targets.ts'

describe.each(TARGETS)('refresh-token format on the $name', (target) => {
  const current = useTargetServer(target, {})

  async function refresh(token: string): Promise<{ status: number; body: unknown }> {
    const server = current()
    const response = await fetch(`${server.url}/token?grant_type=refresh_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: server.anonKey },
      body: JSON.stringify({ refresh_token: token }),
    })
    return { status: response.status, body: await response.json() }
  }

  it.each(['', 'abc', 'abcdefghijk', 'abcdefghijklm', 'abcd-fghijkl', 'not-a-refresh-token'])('%j is malformed', async (token) => {
    expect(await refresh(token)).toEqual({ status: 400, body: { code: 400, error_code: 'validation_failed', msg: 'Refresh token is not valid' } })
  })

  it('a well-formed token it never issued is not found', async () => {
    expect(await refresh('abcdefghijkl')).toEqual({ status: 400, body: { code: 400, error_code: 'refresh_token_not_found', msg: 'Invalid Refresh Token: Refresh Token Not Found' } })
  })
})
