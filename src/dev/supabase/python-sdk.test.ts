/**
 * A second independent client against the emulator playing Supabase Auth: the seed's own Python SDK
 * (`gotrue` 2.11.0 from PyPI, `from gotrue import SyncGoTrueClient`, in a venv under .cache made by
 * scripts/run.sh). It runs every auth feature the seed doc shows, with the 2.x names it now has:
 * sign-up with a password (confirmed by the emailed code), sign-in with a password, the emailed
 * one-time code (the seed's magic link), get_user / update_user, refresh_session, sign_out (after
 * which the session and user are None), and the AuthApiErrors it raises on the way. Email codes come
 * from the server's mail over the CODE line. The same script and assertions run against the real
 * Supabase Auth wherever it can run here (the provider tests' targets). Skipped with one line where
 * Python is missing, never in CI.
 */
import { describe, expect, it } from 'vitest'
import { TARGETS, useTargetServer } from '../../main/providers/supabase/test-targets.ts'
import { pythonSdk, runPythonCheck } from '../python-check.ts'

export const GOTRUE_PY_VERSION = '2.11.0'
const sdk = pythonSdk(`gotrue-py-${GOTRUE_PY_VERSION}`, 'Supabase Auth Python SDK')

const SCRIPT = `
import json, os, sys, time
from gotrue import SyncGoTrueClient
from gotrue.errors import AuthApiError

url, anon_key, email, password, stranger = json.loads(sys.stdin.readline())
out = {}
asked = {}

def code_for(address):
    # The nth mail to an address; a real server's mail reaches its catcher a moment after the request.
    n = asked.get(address, 0)
    asked[address] = n + 1
    for _ in range(100):
        print("CODE " + str(n) + " " + address, flush=True)
        code = sys.stdin.readline().strip()
        if code:
            return code
        time.sleep(0.05)
    raise SystemExit("no code for " + address)

def failure(call):
    try:
        call()
    except AuthApiError as error:
        return {"name": error.name, "status": error.status, "code": error.code, "message": error.message}
    return None

def metadata(user):
    # The account's own id is in it as sub: shown as True where it is.
    return {k: (v == user.id if k == "sub" else v) for k, v in user.user_metadata.items()}

def session_of(session):
    if session is None:
        return None
    return {"user": session.user.id, "token_type": session.token_type, "expires_in": session.expires_in,
            "expires_at_in": session.expires_at - int(time.time()), "has_refresh": len(session.refresh_token) > 0}

client = SyncGoTrueClient(url=url, headers={"apiKey": anon_key})

signed_up = client.sign_up({"email": email, "password": password, "options": {"data": {"plan": "free"}}})
user_id = signed_up.user.id
out["sign_up"] = {"email": signed_up.user.email, "session": signed_up.session, "confirmed": signed_up.user.email_confirmed_at is not None,
                  "metadata": metadata(signed_up.user), "aud": signed_up.user.aud,
                  "identities": [i.provider for i in signed_up.user.identities or []], "stored": client.get_session()}
out["unconfirmed"] = failure(lambda: client.sign_in_with_password({"email": email, "password": password}))
out["wrong_code"] = failure(lambda: client.verify_otp({"email": email, "token": "000000", "type": "signup"}))
confirmed = client.verify_otp({"email": email, "token": code_for(email), "type": "signup"})
out["confirmed"] = {"same_user": confirmed.user.id == user_id, "confirmed": confirmed.user.email_confirmed_at is not None,
                    "session": session_of(confirmed.session), "stored": client.get_session().access_token == confirmed.session.access_token}
again = client.sign_up({"email": email, "password": password})
# Signing up a confirmed address again tells nothing: a made-up user, no session, no identities.
out["sign_up_again"] = {"same_user": again.user.id == user_id, "session": again.session, "identities": again.user.identities}

out["wrong_password"] = failure(lambda: client.sign_in_with_password({"email": email, "password": "not-" + password}))
out["after_failure"] = client.get_session()
signed_in = client.sign_in_with_password({"email": email, "password": password})
out["sign_in"] = {"session": session_of(signed_in.session), "email": signed_in.user.email, "last_sign_in": signed_in.user.last_sign_in_at is not None}

me = client.get_user()
out["get_user"] = {"same_user": me.user.id == user_id, "email": me.user.email, "aud": me.user.aud, "role": me.user.role,
                   "providers": me.user.app_metadata.get("providers"), "provider": me.user.app_metadata.get("provider")}
updated = client.update_user({"data": {"name": "Ada"}})
out["update_user"] = {"same_user": updated.user.id == user_id, "metadata": metadata(updated.user),
                      "stored": metadata(client.get_session().user)}
out["same_password"] = failure(lambda: client.update_user({"password": password}))

before = client.get_session()
refreshed = client.refresh_session()
out["refresh"] = {"session": session_of(refreshed.session), "new_refresh_token": refreshed.session.refresh_token != before.refresh_token,
                  "stored": client.get_session().refresh_token == refreshed.session.refresh_token}
# The token just replaced still refreshes (a concurrent refresh's allowance): the same person again.
again = client.refresh_session(before.refresh_token)
out["previous_refresh_token"] = {"same_user": again.user.id == user_id, "current": again.session.refresh_token == refreshed.session.refresh_token}
current = refreshed.session.refresh_token
out["refresh_token_shape"] = [len(current), current.isalnum()]
out["malformed_refresh_token"] = failure(lambda: client.refresh_session("not-a-refresh-token"))
out["unknown_refresh_token"] = failure(lambda: client.refresh_session(current[:-1] + ("b" if current[-1] == "a" else "a")))

access_token = client.get_session().access_token
client.sign_out()
out["sign_out"] = {"session": client.get_session(), "user": client.get_user()}
out["signed_out_token"] = failure(lambda: client.get_user(access_token))
out["signed_out_refresh_token"] = failure(lambda: client.refresh_session(again.session.refresh_token))

# The seed's magic link: in 2.x sign_in_with_otp mails a link and a code; the code signs in.
time.sleep(1.1)  # one email per address per second (the servers' max frequency in tests)
sent = client.sign_in_with_otp({"email": email})
out["otp_sent"] = {"user": sent.user, "session": sent.session}
out["otp_wrong"] = failure(lambda: client.verify_otp({"email": email, "token": "000000", "type": "email"}))
by_code = client.verify_otp({"email": email, "token": code_for(email), "type": "email"})
out["otp"] = {"same_user": by_code.user.id == user_id, "session": session_of(by_code.session), "name": by_code.user.user_metadata.get("name")}
out["otp_no_signup"] = failure(lambda: client.sign_in_with_otp({"email": stranger, "options": {"should_create_user": False}}))
client.sign_out()
out["final"] = {"session": client.get_session(), "user": client.get_user()}
print("RESULT " + json.dumps(out, default=str), flush=True)
`

let counter = 0

describe.skipIf(!sdk.runs).each(TARGETS)('the seed’s Python SDK against the $name', (target) => {
  const current = useTargetServer(target, { maxFrequencySeconds: 1 })

  it('runs every auth feature of the seed doc', async () => {
    const running = current()
    counter += 1
    const tag = `${String(process.pid)}-${String(counter)}-${Math.random().toString(36).slice(2, 8)}`
    const email = `py${tag}@example.test`
    const out = await runPythonCheck(sdk, SCRIPT, [], {
      input: [running.url, running.anonKey, email, `pw-${tag}`, `nobody${tag}@example.test`],
      code: (line) => {
        const [n, address] = [Number(line.slice(0, line.indexOf(' '))), line.slice(line.indexOf(' ') + 1)]
        const mail = running.mails().filter((m) => m.to === address.toLowerCase())[n]
        return mail === undefined ? '' : (/Code: (\d{6})/.exec(mail.text)?.[1] ?? '')
      },
      timeoutMs: 60_000,
    })
    const session = { user: expect.any(String) as string, token_type: 'bearer', expires_in: 3600, expires_at_in: expect.toSatisfy((s: number) => s > 3590 && s <= 3600) as number, has_refresh: true }

    // Confirmation is on: the account exists, without a session, until the mailed code is verified.
    expect(out.sign_up).toEqual({ email, session: null, confirmed: false, metadata: { sub: true, email, email_verified: false, phone_verified: false, plan: 'free' }, aud: 'authenticated', identities: ['email'], stored: null })
    expect(out.unconfirmed).toEqual({ name: 'AuthApiError', status: 400, code: 'email_not_confirmed', message: 'Email not confirmed' })
    expect(out.wrong_code).toEqual({ name: 'AuthApiError', status: 403, code: 'otp_expired', message: 'Token has expired or is invalid' })
    expect(out.confirmed).toEqual({ same_user: true, confirmed: true, session, stored: true })
    expect(out.sign_up_again).toEqual({ same_user: false, session: null, identities: [] })

    expect(out.wrong_password).toEqual({ name: 'AuthApiError', status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' })
    expect(out.after_failure).toBeNull()
    expect(out.sign_in).toEqual({ session, email, last_sign_in: true })

    expect(out.get_user).toEqual({ same_user: true, email, aud: 'authenticated', role: 'authenticated', providers: ['email'], provider: 'email' })
    // The email identity's data is in the metadata beside the sign-up data, verified by the code.
    const ada = { sub: true, email, email_verified: true, phone_verified: false, plan: 'free', name: 'Ada' }
    expect(out.update_user).toEqual({ same_user: true, metadata: ada, stored: ada })
    expect(out.same_password).toEqual({ name: 'AuthApiError', status: 422, code: 'same_password', message: 'New password should be different from the old password.' })

    // Rotation: a new refresh token (12 letters and digits) each time; the one just replaced gives the current one back.
    expect(out.refresh).toEqual({ session, new_refresh_token: true, stored: true })
    expect(out.refresh_token_shape).toEqual([12, true])
    expect(out.previous_refresh_token).toEqual({ same_user: true, current: true })
    expect(out.malformed_refresh_token).toEqual({ name: 'AuthApiError', status: 400, code: 'validation_failed', message: 'Refresh token is not valid' })
    expect(out.unknown_refresh_token).toEqual({ name: 'AuthApiError', status: 400, code: 'refresh_token_not_found', message: 'Invalid Refresh Token: Refresh Token Not Found' })

    expect(out.sign_out).toEqual({ session: null, user: null })
    expect(out.signed_out_refresh_token).toEqual({ name: 'AuthApiError', status: 400, code: 'refresh_token_not_found', message: 'Invalid Refresh Token: Refresh Token Not Found' })
    expect(out.signed_out_token).toEqual({ name: 'AuthApiError', status: 403, code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist' })

    expect(out.otp_sent).toEqual({ user: null, session: null })
    expect(out.otp_wrong).toEqual({ name: 'AuthApiError', status: 403, code: 'otp_expired', message: 'Token has expired or is invalid' })
    expect(out.otp).toEqual({ same_user: true, session, name: 'Ada' })
    expect(out.otp_no_signup).toEqual({ name: 'AuthApiError', status: 422, code: 'otp_disabled', message: 'Signups not allowed for otp' })
    expect(out.final).toEqual({ session: null, user: null })
  }, 90_000)
})
