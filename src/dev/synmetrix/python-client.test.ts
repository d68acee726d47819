/**
 * An independent client against the emulator: the seed's own Python SDK (synmetrix-python-client
 * 0.1.5 from PyPI, in a venv under .cache made by scripts/run.sh). It logs in with `cookie: False`,
 * refreshes, changes the password, "sends a magic link" (which really registers a passwordless account)
 * and logs out of all sessions; its known bug (roles read from `allowed_roles`, which HBP never
 * writes) shows too. Skipped with one line where Python is missing, never in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pythonSdk, runPythonCheck } from '../python-check.ts'
import { startHbpEmulator } from './server.ts'
import type { HbpEmulator } from './server.ts'

const sdk = pythonSdk('synmetrix-py-0.1.5', 'Synmetrix Python client')

const SCRIPT = `
import asyncio, json, logging, sys
from synmetrix_python_client.auth import AuthClient, AuthError

async def main(base, email, password):
    quiet = logging.getLogger("quiet"); quiet.addHandler(logging.NullHandler()); quiet.propagate = False
    client = AuthClient(base, logger=quiet)
    out = {}
    try:
        await client.login(email=email, password="wrong-password")
    except AuthError as error:
        out["wrong_password_status"] = error.status_code
    tokens = await client.login(email=email, password=password)
    out["user_id"] = tokens.user_id
    out["allowed_roles"] = tokens.allowed_roles
    out["expires_at"] = tokens.access_token_expires_at
    refreshed = await client.refresh_token()
    out["rotated"] = refreshed.refresh_token != tokens.refresh_token
    out["old_refresh"] = tokens.refresh_token
    out["new_refresh"] = refreshed.refresh_token
    await client.change_password(old_password=password, new_password=password + "-2")
    again = await AuthClient(base, logger=quiet).login(email=email, password=password + "-2")
    out["new_password_works"] = bool(again.access_token)
    made = await AuthClient(base, logger=quiet).send_magic_link(email="newcomer@python-sdk.com")
    out["magic_link_user"] = made.user_id
    await client.logout()
    out["logged_out"] = True
    print("RESULT " + json.dumps(out), flush=True)

asyncio.run(main(*json.loads(sys.stdin.readline())))
`

describe.skipIf(!sdk.runs)('the seed’s Python client against the emulator', () => {
  let emulator: HbpEmulator
  beforeAll(async () => {
    emulator = await startHbpEmulator({ users: [{ email: 'py@synmetrix-demo.com', password: 'python-pass-1', allowedRoles: ['user', 'admin'] }] })
  })
  afterAll(() => emulator.stop())

  it('signs in, refreshes, changes the password, registers by "magic link" and logs out everywhere', async () => {
    const out = await runPythonCheck(sdk, SCRIPT, [], { input: [emulator.url, 'py@synmetrix-demo.com', 'python-pass-1'] })
    const account = emulator.account('py@synmetrix-demo.com')
    expect(out.wrong_password_status).toBe(401)
    expect(out.user_id).toBe(account?.id)
    // The client's bug, not the server's: it reads hasura.allowed_roles, which HBP never writes.
    expect(out.allowed_roles).toEqual([])
    expect(typeof out.expires_at).toBe('number')
    expect(out.rotated).toBe(true)
    expect(out.new_password_works).toBe(true)
    // send_magic_link made a passwordless account and got tokens; no email went out.
    expect(out.magic_link_user).toBe(emulator.account('newcomer@python-sdk.com')?.id)
    expect(emulator.outbox.messages()).toEqual([])
    // logout(all_sessions=True) with a live refresh token deleted every token of the user.
    expect(out.logged_out).toBe(true)
    expect(emulator.refreshTokensOf('py@synmetrix-demo.com')).toEqual([])
  }, 90_000)
})

const ANONYMOUS_SCRIPT = `
import asyncio, json, logging, sys
from synmetrix_python_client.auth import AuthClient, AuthError

async def main(base, email, password):
    quiet = logging.getLogger("quiet"); quiet.addHandler(logging.NullHandler()); quiet.propagate = False
    out = {}
    try:
        await AuthClient(base, logger=quiet).login(email=email, password=password)
    except AuthError as error:
        out["status"] = error.status_code
        out["message"] = error.message
    print("RESULT " + json.dumps(out), flush=True)

asyncio.run(main(*json.loads(sys.stdin.readline())))
`

describe.skipIf(!sdk.runs)('the seed’s Python client against a server with anonymous users on', () => {
  let emulator: HbpEmulator
  beforeAll(async () => {
    emulator = await startHbpEmulator({ anonymousUsersEnabled: true, users: [{ email: 'py@synmetrix-demo.com', password: 'python-pass-1' }] })
  })
  afterAll(() => emulator.stop())

  it('cannot log in: its cookie=False is refused by the anonymous-login schema', async () => {
    const out = await runPythonCheck(sdk, ANONYMOUS_SCRIPT, [], { input: [emulator.url, 'py@synmetrix-demo.com', 'python-pass-1'] })
    expect(out.status).toBe(400)
    // The client puts the raw Boom body in its message.
    expect(JSON.parse(String(out.message))).toMatchObject({ statusCode: 400, message: '"cookie" is not allowed' })
  }, 90_000)
})
