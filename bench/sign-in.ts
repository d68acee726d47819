/**
 * Browser sign-in against the local OpenID Connect server: total time, the time the "person" spends
 * in the browser (driven by plain fetch here), and the app's own share (discovery, loopback,
 * code exchange, userinfo), over several runs in one process.
 */
import { performance } from 'node:perf_hooks'
import { completeBrowserLogin } from '../src/dev/browser-login.ts'
import { startOidcServer } from '../src/dev/oidc-server.ts'
import { systemClock } from '../src/main/core/ports.ts'
import { createOidcProvider } from '../src/main/providers/oidc/index.ts'
import { quiet } from './support/quiet-logger.ts'

const RUNS = 10

export async function benchSignIn(): Promise<void> {
  const server = await startOidcServer()
  const provider = createOidcProvider()
  const config = provider.parseConfig({ issuer: server.issuer, clientId: server.clientId })
  const ctx = { clock: systemClock, logger: quiet }
  const rows: { total: number; browser: number; app: number }[] = []
  try {
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now()
      const start = await provider.beginSignIn(config, ctx)
      if (start.kind !== 'browser') throw new Error('expected a browser step')
      const t1 = performance.now()
      await completeBrowserLogin(start.url, { login: 'alice', password: 'wonderland' })
      const t2 = performance.now()
      await start.result
      const t3 = performance.now()
      rows.push({ total: t3 - t0, browser: t2 - t1, app: t1 - t0 + (t3 - t2) })
    }
  } finally {
    await server.stop()
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
  const total = median(rows.map((r) => r.total))
  const app = median(rows.map((r) => r.app))
  const browser = median(rows.map((r) => r.browser))
  const first = rows[0]
  console.log(`\nBrowser sign-in against the local OpenID Connect server (${RUNS} runs, medians; first run includes discovery)`)
  console.table([
    { part: 'total', ms: total.toFixed(1), 'share of total': '100%' },
    { part: "browser (login + consent pages)", ms: browser.toFixed(1), 'share of total': `${((browser / total) * 100).toFixed(0)}%` },
    { part: "app's own work", ms: app.toFixed(1), 'share of total': `${((app / total) * 100).toFixed(0)}%` },
    { part: 'first run total (cold discovery)', ms: first ? first.total.toFixed(1) : '-', 'share of total': first ? `${(first.total / total).toFixed(2)}× median` : '-' },
  ])
}

if (import.meta.main) await benchSignIn()
