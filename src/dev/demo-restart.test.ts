import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import PocketBase from 'pocketbase'
import { afterAll, describe, expect, it } from 'vitest'
import { systemClock } from '../main/core/ports.ts'
import { recordingLogger } from '../main/core/testing/recording-logger.ts'
import { createOidcProvider } from '../main/providers/oidc/index.ts'
import { completeBrowserLogin } from './browser-login.ts'
import { startDemo, type Demo } from './demo.ts'

const running: Demo[] = []
const folders: string[] = []
afterAll(async () => {
  await Promise.all(running.map((demo) => demo.stop()))
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })))
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

describe('the demo servers across a restart', () => {
  it('keep record ids, PocketBase tokens and OpenID Connect refresh tokens valid, in owner-only files', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'latchkey-demo-state-'))
    folders.push(stateDir)
    const ports = { oidc: await freePort(), pocketbase: await freePort(), bosbase: await freePort(), teable: 0, synmetrix: 0 }
    const first = await startDemo({ ports, stateDir })
    const url = first.presets.find((preset) => preset.name === 'Demo PocketBase')?.config.url ?? ''
    const pb = new PocketBase(url)
    const ada = await pb.collection('users').authWithPassword('ada@example.test', 'lovelace-1815')
    expect(ada.record.id).toBe('ada000000000001')
    await pb.collection('users').update(ada.record.id, { name: 'Ada, Countess of Lovelace' })

    const provider = createOidcProvider()
    const ctx = { clock: systemClock, logger: recordingLogger() }
    const oidcConfig = provider.parseConfig(first.presets.find((preset) => preset.kind === 'oidc')?.config ?? {})
    const start = await provider.beginSignIn(oidcConfig, ctx)
    if (start.kind !== 'browser') throw new Error('expected a browser sign-in')
    await completeBrowserLogin(start.url, { login: 'alice', password: 'wonderland' })
    const alice = await start.result
    if ('kind' in alice) throw new Error('expected a session')
    await first.stop()
    // Let the client's connection pool see the old servers' sockets close.
    await new Promise((resolve) => setTimeout(resolve, 100))

    const second = await startDemo({ ports, stateDir })
    running.push(second)
    const again = new PocketBase(second.presets.find((preset) => preset.name === 'Demo PocketBase')?.config.url ?? '')
    again.authStore.save(ada.token, ada.record)
    const renewed = await again.collection('users').authRefresh()
    expect(renewed.record).toMatchObject({ id: 'ada000000000001', name: 'Ada, Countess of Lovelace' })
    const refreshed = await provider.refresh(provider.parseConfig(second.presets.find((preset) => preset.kind === 'oidc')?.config ?? {}), alice.session, ctx)
    expect(refreshed.session.accessToken).not.toBe(alice.session.accessToken)

    for (const name of ['oidc.json', 'pocketbase.json', 'bosbase.json']) expect((await stat(join(stateDir, name))).mode & 0o777).toBe(0o600)
  })
})
