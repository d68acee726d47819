/** `scripts/run.sh start --demo` stopped and started again: the demo servers and the shell restart, the sessions live on. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDemo, type Demo } from '../src/dev/demo.ts'
import { expect, test } from './support/fixtures.ts'
import { ada, addOidcAccount, addPocketBaseAccount, alice } from './support/flows.ts'
import { freePorts } from '../src/dev/free-port.ts'
import { untilNextSecond } from '../src/main/providers/testing/server-clock.ts'

function config(demo: Demo, name: string): Record<string, string> {
  const preset = demo.presets.find((candidate) => candidate.name === name)
  if (preset === undefined) throw new Error(`no preset ${name}`)
  return preset.config
}

test('restarting the demo servers and the shell keeps every session: signed in, from the keychain, and renewed by the servers', async ({ latchkey }) => {
  // The demo keeps its servers' state in a folder of its own (outside this data folder, which the leak check reads).
  const stateDir = mkdtempSync(join(tmpdir(), 'lk-demo-state-'))
  const ports = await freePorts(['oidc', 'pocketbase', 'bosbase', 'teable', 'synmetrix', 'authing', 'supabase'])
  let demo = await startDemo({ ports, stateDir })
  try {
    const { app } = latchkey
    const oidc = config(demo, 'Demo OpenID Connect server')
    await addOidcAccount(latchkey, { issuer: oidc.issuer ?? '', clientId: oidc.clientId ?? '' }, alice, 'Alice')
    const pocketbase = await addPocketBaseAccount(latchkey, { url: config(demo, 'Demo PocketBase').url ?? '' }, ada, { label: 'Ada' })
    await expect(pocketbase).toHaveAttribute('data-status', 'signed-in')

    await demo.stop()
    await latchkey.restart()
    demo = await startDemo({ ports, stateDir })

    for (const label of ['Alice', 'Ada']) {
      const account = app.account(label)
      await expect(account).toHaveAttribute('data-status', 'signed-in')
      await account.click()
      await expect(app.detail.getByText('Stored in the system keychain')).toBeVisible()
      // The restarted server knows the session: it renews it (a server that forgot it would refuse).
      const expiry = app.detail.getByTestId('expiry-countdown').first()
      const before = await expiry.getAttribute('data-expires-at')
      // Tokens are cut to whole seconds: one renewed in a later second than the shown one expires later.
      await untilNextSecond(Date.now())
      await app.detail.getByRole('button', { name: 'Refresh now' }).click()
      await expect.poll(() => expiry.getAttribute('data-expires-at')).not.toBe(before)
      await expect(account).toHaveAttribute('data-status', 'signed-in')
      await expect(app.detail.getByRole('alert')).toHaveCount(0)
    }
  } finally {
    await demo.stop()
    rmSync(stateDir, { recursive: true, force: true })
  }
})
