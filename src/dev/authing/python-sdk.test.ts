/**
 * A second independent client against the emulator: the seed's own Python SDK (`authing` 4.5.18
 * from PyPI, the last release with the v2 AuthenticationClient the seed doc describes, in a venv
 * under .cache made by scripts/run.sh). It runs every method the seed doc lists. Codes the SDK
 * needs are read from the emulator's outbox over a line on stdin/stdout. Its embedded password key
 * is not this server's: the first login proves that a hard-coded key fails (2016), then the SDK is
 * given the key the server publishes. Skipped with one line where Python is missing, never in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pythonSdk, runPythonCheck } from '../python-check.ts'
import { startAuthingEmulator } from './server.ts'
import type { AuthingEmulator } from './server.ts'

export const AUTHING_PY_VERSION = '4.5.18'
const sdk = pythonSdk(`authing-py-${AUTHING_PY_VERSION}`, 'Authing Python SDK')

const SCRIPT = `
import json, sys
from authing.v2.authentication import AuthenticationClient, AuthenticationClientOptions
from authing.v2.exceptions import AuthingException

host, pool, app, key = sys.argv[1:5]
out = {}

def code_for(to):
    print("CODE " + to, flush=True)
    return sys.stdin.readline().strip()

def client(**extra):
    return AuthenticationClient(AuthenticationClientOptions(app_host=host, user_pool_id=pool, app_id=app, **extra))

def failure(call):
    try:
        call()
    except AuthingException as error:
        return error.code
    return None

out["embedded_key"] = failure(lambda: client().login_by_email("ada@example.test", "lovelace-1815"))
c = client(enc_public_key=key)
out["register_by_email"] = c.register_by_email("py@example.test", "python-pass-1", {"nickname": "Py"})["email"]
out["register_by_username"] = c.register_by_username("pyuser", "python-pass-1", {"nickname": "Py"})["username"]
c.send_sms_code("13600000001")
out["register_by_phone_code"] = c.register_by_phone_code("13600000001", code_for("13600000001"), "python-pass-1")["phone"]
out["wrong_password"] = failure(lambda: c.login_by_email("ada@example.test", "wrong-pass-1"))
user = c.login_by_email("ada@example.test", "lovelace-1815")
out["login_by_email"] = user["id"]
out["login_by_username"] = client(enc_public_key=key).login_by_username("ada", "lovelace-1815")["id"]
out["login_by_phone_password"] = client(enc_public_key=key).login_by_phone_password("13800000001", "lovelace-1815")["id"]
p = client(enc_public_key=key)
p.send_sms_code("13800000001")
out["login_by_phone_code"] = p.login_by_phone_code("13800000001", code_for("13800000001"))["id"]
out["check_login_status"] = c.check_login_status(user["token"])["status"]
out["update_profile"] = c.update_profile({"nickname": "Countess", "company": "Engines"})["company"]
out["get_current_user"] = c.get_current_user()["company"]
out["set_udv"] = [item["key"] for item in c.set_udv("age", 36)]
out["list_udv"] = {item["key"]: item["value"] for item in c.list_udv()}
out["remove_udv"] = [item["key"] for item in c.remove_udv("age")]
out["update_password"] = c.update_password("lovelace-1816", "lovelace-1815")["id"]
c.update_password("lovelace-1815", "lovelace-1816")
out["refresh_token"] = bool(c.refresh_token()["token"])
py = client(enc_public_key=key)
py.login_by_email("py@example.test", "python-pass-1")
py.send_sms_code("13700000002")
out["bind_phone"] = py.bind_phone("13700000002", code_for("13700000002"))["phone"]
py.send_sms_code("13700000003")
out["update_phone"] = py.update_phone("13700000003", code_for("13700000003"))["phone"]
out["unbind_phone"] = py.unbind_phone()["phone"]
py.send_email("py2@example.test", "CHANGE_EMAIL")
out["update_email"] = py.update_email("py2@example.test", code_for("py2@example.test"))["email"]
py.send_email("py2@example.test", "RESET_PASSWORD")
out["reset_password_by_email_code"] = py.reset_password_by_email_code("py2@example.test", code_for("py2@example.test"), "python-pass-2")["code"]
p.send_sms_code("13600000001")
out["reset_password_by_phone_code"] = p.reset_password_by_phone_code("13600000001", code_for("13600000001"), "python-pass-3")["code"]
token = c.get_token()
c.logout()
out["after_logout"] = client(enc_public_key=key).check_login_status(token)["status"]
print("RESULT " + json.dumps(out), flush=True)
`

describe.skipIf(!sdk.runs)('the seed’s Python SDK against the emulator', () => {
  let emulator: AuthingEmulator
  beforeAll(async () => {
    emulator = await startAuthingEmulator({
      users: [{ id: 'u-ada', email: 'ada@example.test', username: 'ada', phone: '13800000001', password: 'lovelace-1815' }],
      udfs: [{ key: 'age', label: 'Age', dataType: 'NUMBER' }],
      resendSeconds: 0,
    })
  })
  afterAll(() => emulator.stop())

  it('runs every method of the seed doc', async () => {
    const out = await runPythonCheck(sdk, SCRIPT, [emulator.url, emulator.userPoolId, emulator.appId, emulator.publicKey], {
      code: (address) => emulator.outbox.last(address)?.code ?? '',
    })
    // The SDK's built-in key is Authing's public cloud key, not this server's.
    expect(out.embedded_key).toBe(2016)
    expect(out).toMatchObject({
      register_by_email: 'py@example.test',
      register_by_username: 'pyuser',
      register_by_phone_code: '13600000001',
      wrong_password: 2333,
      login_by_email: 'u-ada',
      login_by_username: 'u-ada',
      login_by_phone_password: 'u-ada',
      login_by_phone_code: 'u-ada',
      check_login_status: true,
      update_profile: 'Engines',
      get_current_user: 'Engines',
      set_udv: ['age'],
      list_udv: { age: 36 },
      remove_udv: [],
      update_password: 'u-ada',
      refresh_token: true,
      bind_phone: '13700000002',
      update_phone: '13700000003',
      unbind_phone: null,
      update_email: 'py2@example.test',
      reset_password_by_email_code: 200,
      reset_password_by_phone_code: 200,
      after_logout: false,
    })
  }, 120_000)
})
