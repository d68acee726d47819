/**
 * A second independent client against the emulator playing BosBase: the seed's own Python SDK
 * (`bosbase` 0.1.5 from PyPI, in a venv under .cache made by scripts/run.sh). It runs every auth
 * feature the seed doc uses: auth-methods, a wrong password, password sign-in and the auth store,
 * auth refresh, MFA (password, then an OTP with the mfaId), OTP sign-in, OAuth2 through the SDK's
 * own realtime flow (the "browser" is driven from here against a local OpenID Connect server) with
 * createData, and impersonation by a superuser (the seed's "generate_api_key"). OTP codes come from
 * the server's outbox over the CODE line. Skipped with one line where Python is missing, never in CI.
 * With LATCHKEY_BOSBASE_BIN set, the same check also runs against that real BosBase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../browser-login.ts'
import { startOidcServer } from '../oidc-server.ts'
import type { OidcServer } from '../oidc-server.ts'
import { pythonSdk, runPythonCheck } from '../python-check.ts'
import { DEMO_POCKETBASE_OIDC_CLIENT, demoPocketBaseSuperusers, demoPocketBaseUsers } from './demo-users.ts'
import { HUNDRED_YEARS_SECONDS } from './flavor.ts'
import { bosbaseDatabaseUnavailable } from './real/bosbase-database.ts'
import { realBosBaseBinary } from './real/binary.ts'
import { startRealPocketBase } from './real/server.ts'
import { startPocketBaseEmulator } from './server.ts'
import type { PocketBaseEmulatorOptions } from './server.ts'

export const BOSBASE_PY_VERSION = '0.1.5'
const sdk = pythonSdk(`bosbase-py-${BOSBASE_PY_VERSION}`, 'BosBase Python SDK')

const SCRIPT = `
import json, socket, sys, time
from bosbase import BosBase
from bosbase.auth import get_token_payload
from bosbase.exceptions import ClientResponseError
import bosbase.services.realtime
import bosbase.services.record

# bosbase 0.1.5's RecordService.impersonate makes a new BosBase client, but imports that class only
# for type checking (NameError at run time): give the module the name it expects.
bosbase.services.record.BosBase = BosBase

# Its realtime disconnect closes the event stream while its reader thread still blocks in a read,
# so it waits for the SDK's 60 s read timeout: shut the socket first so the read ends at once.
_disconnect = bosbase.services.realtime.RealtimeService.disconnect
def disconnect(self):
    self._stop_event.set()
    try:
        self._response.raw._fp.fp.raw._sock.shutdown(socket.SHUT_RDWR)
    except Exception:
        pass
    _disconnect(self)
bosbase.services.realtime.RealtimeService.disconnect = disconnect

url, ada_email, ada_password, grace_email, grace_password, root_email, root_password = json.loads(sys.stdin.readline())
out = {}

def ask(line):
    print(line, flush=True)
    return sys.stdin.readline().strip()

def code_for(email):
    # A real server's mail reaches its catcher a moment after the request: ask until it is there.
    for _ in range(100):
        code = ask("CODE otp " + email)
        if code:
            return code
        time.sleep(0.05)
    raise SystemExit("no code for " + email)

def claims(token):
    c = get_token_payload(token)
    return {"id": c.get("id"), "type": c.get("type"), "collectionId": c.get("collectionId"),
            "refreshable": c.get("refreshable"), "expiresIn": int(c.get("exp", 0)) - int(time.time())}

def failure(call):
    try:
        call()
    except ClientResponseError as error:
        return {"status": error.status, "response": error.response}
    return None

pb = BosBase(url)
users = pb.collection("users")
methods = users.list_auth_methods()
providers = methods["oauth2"]["providers"]
out["auth_methods"] = {
    "password": methods["password"],
    "otp": methods["otp"],
    "mfa": methods["mfa"],
    "oauth2": methods["oauth2"]["enabled"],
    "providers": [p["name"] for p in providers],
    "provider_keys": sorted(providers[0].keys()),
}

out["wrong_password"] = failure(lambda: users.auth_with_password(ada_email, "not-" + ada_password))
out["store_after_failure"] = pb.auth_store.token

auth = users.auth_with_password(ada_email, ada_password)
out["password"] = {"id": auth["record"]["id"], "email": auth["record"]["email"], "store": pb.auth_store.record["id"],
                   "claims": claims(auth["token"]), "is_valid": pb.auth_store.is_valid()}
ada_id = auth["record"]["id"]
refreshed = users.auth_refresh()
out["refresh"] = {"same_token": refreshed["token"] == auth["token"], "id": refreshed["record"]["id"]}
out["user_impersonates"] = failure(lambda: users.impersonate(ada_id, duration=600))

mfa = BosBase(url)
challenge = failure(lambda: mfa.collection("users").auth_with_password(grace_email, grace_password))
out["mfa_challenge"] = {"status": challenge["status"], "response": challenge["response"], "store": mfa.auth_store.token}
otp = mfa.collection("users").request_otp(grace_email)
second = mfa.collection("users").auth_with_otp(otp["otpId"], code_for(grace_email), body={"mfaId": challenge["response"]["mfaId"]})
out["mfa"] = {"otpId": otp["otpId"], "email": second["record"]["email"], "store": mfa.auth_store.record["email"], "claims": claims(second["token"])}

o = BosBase(url)
otp = o.collection("users").request_otp(ada_email)
out["otp_request"] = otp
out["otp_wrong"] = failure(lambda: o.collection("users").auth_with_otp(otp["otpId"], "00000000"))
signed = o.collection("users").auth_with_otp(otp["otpId"], code_for(ada_email))
out["otp"] = {"id": signed["record"]["id"], "claims": claims(signed["token"])}

oauth = BosBase(url)
via = oauth.collection("users").auth_with_oauth2("oidc", lambda link: ask("CODE browser " + link),
                                                 scopes=["openid", "email", "profile"], create_data={"name": "Python User"})
out["oauth2"] = {"email": via["record"]["email"], "name": via["record"]["name"], "verified": via["record"]["verified"],
                 "isNew": via["meta"]["isNew"], "store": oauth.auth_store.record["email"], "claims": claims(via["token"])}

su = BosBase(url)
su.collection("_superusers").auth_with_password(root_email, root_password)
root = su.auth_store.record
out["superuser"] = {"collectionName": root["collectionName"], "is_superuser": su.auth_store.is_superuser, "claims": claims(su.auth_store.token)}
api = su.collection("_superusers").impersonate(root["id"], duration=31536000)
out["api_key"] = {"id": api.auth_store.record["id"], "claims": claims(api.auth_store.token), "is_valid": api.auth_store.is_valid()}
customer = su.collection("users").impersonate(ada_id, duration=600)
out["impersonate"] = {"id": customer.auth_store.record["id"], "claims": claims(customer.auth_store.token),
                      "own_record": customer.collection("users").get_one(ada_id)["email"]}
service = BosBase(url)
service.auth_store.save(api.auth_store.token, {"id": root["id"], "email": root_email})
out["service_list"] = sorted(r["email"] for r in service.collection("users").get_full_list())
print("RESULT " + json.dumps(out), flush=True)
`

const ADA = demoPocketBaseUsers('bosbase')[0]
const GRACE = demoPocketBaseUsers('bosbase')[1]
const ROOT = demoPocketBaseSuperusers('bosbase')[0]
if (ADA === undefined || GRACE?.mfa !== true || ROOT === undefined) throw new Error('The demo BosBase people changed.')
/** The person at the OpenID Connect server. */
const ALICE = { login: 'alice', password: 'wonderland' }
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

interface Target {
  url: string
  outbox: { last(to: string, kind: 'otp'): { otp?: string } | undefined }
  stop(): Promise<void>
}

const targets: { name: string; start: (options: PocketBaseEmulatorOptions) => Promise<Target> }[] = [
  { name: 'the emulator', start: (options) => startPocketBaseEmulator({ mode: 'bosbase', ...options }) },
]
const binary = realBosBaseBinary()
if (binary !== null && bosbaseDatabaseUnavailable() === null) {
  targets.push({ name: 'a real BosBase', start: (options) => startRealPocketBase({ path: binary, mode: 'bosbase' }, options) })
}

describe.skipIf(!sdk.runs).each(targets)('the seed’s Python SDK against $name', ({ start }) => {
  let oidc: OidcServer
  let server: Target | undefined
  beforeAll(async () => {
    oidc = await startOidcServer({ extraClients: [DEMO_POCKETBASE_OIDC_CLIENT] })
    const client = DEMO_POCKETBASE_OIDC_CLIENT
    server = await start({ upstream: { issuer: oidc.issuer, clientId: client.client_id, clientSecret: client.client_secret }, users: [ADA, GRACE], superusers: [ROOT] })
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
    await oidc.stop()
  })

  it('runs every auth feature of the seed doc', async () => {
    if (server === undefined) throw new Error('The server did not start.')
    const target = server
    const logins: Promise<void>[] = []
    const out = await runPythonCheck(sdk, SCRIPT, [], {
      input: [target.url, ADA.email, ADA.password, GRACE.email, GRACE.password, ROOT.email, ROOT.password],
      code: (line) => {
        const [kind, address] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]
        if (kind !== 'browser') return target.outbox.last(address, 'otp')?.otp ?? ''
        // The SDK waits on its realtime connection while the person signs in at the provider.
        logins.push(completeBrowserLogin(address, ALICE))
        return ''
      },
      timeoutMs: 90_000,
    })
    await Promise.all(logins)
    const year = 365 * 24 * 60 * 60
    const static100Years = { type: 'auth', refreshable: false, expiresIn: expect.toSatisfy((s: number) => s > HUNDRED_YEARS_SECONDS - year) as number }

    // BosBase lists no `logo` for a provider; the SDK's OAuth2 flow reads name, authURL and codeVerifier.
    expect(out.auth_methods).toEqual({
      password: { enabled: true, identityFields: ['email'] },
      otp: { enabled: true, duration: 180 },
      mfa: { enabled: true, duration: 1800 },
      oauth2: true,
      providers: ['oidc'],
      provider_keys: ['authURL', 'authUrl', 'codeChallenge', 'codeChallengeMethod', 'codeVerifier', 'displayName', 'name', 'state'],
    })
    expect(out.wrong_password).toEqual({ status: 400, response: { status: 400, message: 'Failed to authenticate.', data: {} } })
    expect(out.store_after_failure).toBe('')

    // Sign-in tokens are static: 100 years, not refreshable, whatever the collection's duration; refresh gives the same token back.
    expect(out.password).toEqual({ id: ADA.id, email: ADA.email, store: ADA.id, claims: { id: ADA.id, collectionId: '_pb_users_auth_', ...static100Years }, is_valid: true })
    expect(out.refresh).toEqual({ same_token: true, id: ADA.id })
    expect(out.user_impersonates).toMatchObject({ status: 403, response: { status: 403, message: 'The authorized record is not allowed to perform this action.' } })

    // Only the mfaId, with no message: the SDK's caller looks for it on the 401.
    expect(out.mfa_challenge).toEqual({ status: 401, response: { mfaId: expect.stringMatching(UUID_V7) as string }, store: '' })
    expect(out.mfa).toEqual({ otpId: expect.stringMatching(UUID_V7) as string, email: GRACE.email, store: GRACE.email, claims: { id: GRACE.id, collectionId: '_pb_users_auth_', ...static100Years } })

    expect(out.otp_request).toEqual({ otpId: expect.stringMatching(UUID_V7) as string })
    expect(out.otp_wrong).toEqual({ status: 400, response: { status: 400, message: 'Invalid or expired OTP.', data: {} } })
    expect(out.otp).toEqual({ id: ADA.id, claims: { id: ADA.id, collectionId: '_pb_users_auth_', ...static100Years } })

    // A new account from the provider's verified email, with the createData name over the provider's.
    expect(out.oauth2).toEqual({
      email: 'alice@example.test',
      name: 'Python User',
      verified: true,
      isNew: true,
      store: 'alice@example.test',
      claims: { id: expect.stringMatching(UUID_V7) as string, collectionId: '_pb_users_auth_', ...static100Years },
    })

    expect(out.superuser).toEqual({ collectionName: '_superusers', is_superuser: true, claims: { id: ROOT.id, collectionId: 'pbc_3142635823', ...static100Years } })
    // Impersonation tokens last the duration asked for, and are not refreshable either.
    const lasting = (seconds: number): number => expect.toSatisfy((s: number) => s <= seconds && s > seconds - 30) as number
    expect(out.api_key).toEqual({ id: ROOT.id, claims: { id: ROOT.id, collectionId: 'pbc_3142635823', type: 'auth', refreshable: false, expiresIn: lasting(31536000) }, is_valid: true })
    expect(out.impersonate).toEqual({
      id: ADA.id,
      claims: { id: ADA.id, collectionId: '_pb_users_auth_', type: 'auth', refreshable: false, expiresIn: lasting(600) },
      own_record: ADA.email,
    })
    expect(out.service_list).toEqual(['ada@example.test', 'alice@example.test', 'grace@example.test'])
  }, 150_000)
})
