/**
 * The zitadel/oidc OpenID Provider (the cached build of main.go, binary.ts) for the OpenID Connect
 * interoperability tests: on 127.0.0.1 on a port it picks and holds itself (so no other test can
 * take it in between), with the demo people in a users file of mode 0600 in a temp folder removed
 * at stop, and the token for its two test calls in its environment. Its public native client
 * `latchkey` takes a loopback redirect on any port (RFC 8252 §7.3); `latchkey-without-refresh` is
 * the same without the refresh_token grant.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_DEMO_USERS, type DemoUser } from '../oidc/demo-users.ts'
import { launchServer, stopServer, type ServerProcess } from '../server-process.ts'
import { cachedBinary, zitadelUnavailable } from './binary.ts'

export interface ZitadelServer {
  issuer: string
  clientId: string
  users: readonly DemoUser[]
  /** Ends every token the person holds for the client, as the end-session endpoint does for them. */
  revokeAllFor(subject: string): Promise<void>
  /** Whether the refresh token is still in the provider's store. */
  refreshTokenIsActive(token: string): Promise<boolean>
  /** What the provider wrote (for a failure's explanation). */
  output(): string
  stop(): Promise<void>
}

const CLIENT_ID = 'latchkey'
/** The same public client without the refresh_token grant (a ZITADEL application with "Refresh Token" off). */
export const CLIENT_WITHOUT_REFRESH_ID = 'latchkey-without-refresh'
const START_TIMEOUT_MS = 15_000

/** The example storage's people file: keyed by ID, which is the `sub`; the login name is Username. */
function usersFile(users: readonly DemoUser[]): string {
  const entries = users.map((user) => {
    const [firstName, ...rest] = user.name.split(' ')
    return [user.id, { ID: user.id, Username: user.id, Password: user.password, FirstName: firstName, LastName: rest.join(' '), Email: user.email, EmailVerified: true }]
  })
  return JSON.stringify(Object.fromEntries(entries))
}

export async function startZitadel(): Promise<ZitadelServer> {
  const binary = cachedBinary()
  if (binary === null) throw new Error(zitadelUnavailable()?.reason ?? 'the zitadel/oidc OpenID Provider is not built')
  const users = DEFAULT_DEMO_USERS
  const temp = mkdtempSync(join(tmpdir(), 'latchkey-zitadel-'))
  const adminToken = randomBytes(24).toString('hex')
  const file = join(temp, 'users.json')
  writeFileSync(file, usersFile(users), { mode: 0o600 })
  const env = { PATH: process.env.PATH, HOME: temp, TMPDIR: temp, ZITADEL_OP_USERS_FILE: file, ZITADEL_OP_ADMIN_TOKEN: adminToken }
  const server = launchServer(binary, [], env, temp)
  const stop = async (): Promise<void> => {
    await stopServer(server)
    rmSync(temp, { recursive: true, force: true })
  }
  let issuer: string
  try {
    issuer = await listeningAt(server)
  } catch (error) {
    await stop()
    throw error
  }
  const admin = async (path: string, form: Record<string, string>): Promise<string> => {
    const response = await fetch(`${issuer}/latchkey-test/${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: new URLSearchParams(form) })
    const text = await response.text()
    if (!response.ok) throw new Error(`zitadel/oidc test call ${path}: HTTP ${String(response.status)}`)
    return text
  }
  return {
    issuer,
    clientId: CLIENT_ID,
    users,
    revokeAllFor: async (subject) => {
      await admin('end-sessions', { subject })
    },
    refreshTokenIsActive: async (token) => (await admin('refresh-token', { token })) === 'true',
    output: server.output,
    stop,
  }
}

/** The issuer the provider prints once it listens (and so answers). */
async function listeningAt({ child, output }: ServerProcess): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    const issuer = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output())?.[1]
    if (issuer !== undefined) return issuer
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the zitadel/oidc OpenID Provider did not start (exit ${String(child.exitCode)}): ${output().slice(-2000)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
