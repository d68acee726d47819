import { Agent, request } from 'node:http'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FUZZ_CALLS_PER_FAMILY, familySeed, fuzzApp } from '../../dev/fuzz/fuzz-app.ts'
import { channelFamilies, malformedCalls, seededRandom } from '../../dev/fuzz/malformed-calls.ts'
import { INVOKE_PATH, SHELL_KEY_HEADER } from '../../shared/web-shell.ts'
import { startWebShell, type WebShell } from './server.ts'
import { useTempDirs } from '../../dev/temp-dirs.ts'

const tempDir = useTempDirs()

const KEY = 'f'.repeat(32)
const CONCURRENCY = 16
const app = fuzzApp()
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
let shell: WebShell

beforeAll(async () => {
  const rendererDir = tempDir('lk-fuzz-')
  writeFileSync(join(rendererDir, 'index.html'), '<html><head></head></html>')
  shell = await startWebShell({ router: app.router, subscribe: () => () => undefined, rendererDir, logger: app.logger, key: KEY })
})
afterAll(async () => {
  agent.destroy()
  await shell.close()
  app.latchkey.dispose()
})

/** One bridge call as the page makes it: POST, JSON, the launch key. */
function invoke(channel: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: shell.port,
        method: 'POST',
        path: `${INVOKE_PATH}${encodeURIComponent(channel)}`,
        headers: { host: `127.0.0.1:${String(shell.port)}`, 'content-type': 'application/json', [SHELL_KEY_HEADER]: KEY },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++] as T)
    }),
  )
}

describe(`the browser-shell bridge, fuzzed with ${String(FUZZ_CALLS_PER_FAMILY)} malformed calls per channel family`, () => {
  for (const [family, channels] of channelFamilies()) {
    it(`answers VALIDATION to every malformed ${family}:* call over HTTP and keeps serving`, { timeout: 180_000 }, async () => {
      const random = seededRandom(familySeed(`http:${family}`))
      const calls = malformedCalls(channels, FUZZ_CALLS_PER_FAMILY, random).map((call, index) => {
        // One in ten is broken at the transport instead: a body that is not JSON (answered 400).
        const notJson = index % 10 === 9
        const body = JSON.stringify({ args: call.args })
        return { ...call, notJson, body: notJson ? body.slice(0, -1) : body }
      })
      const wrong: string[] = []
      await inParallel(calls, async (call) => {
        const answer = await invoke(call.channel, call.body)
        const parsed = JSON.parse(answer.body) as { ok: boolean; error?: { code: string } }
        const expectedStatus = call.notJson ? 400 : 200
        if (parsed.ok || parsed.error?.code !== 'VALIDATION' || answer.status !== expectedStatus) {
          wrong.push(`${call.channel} ${call.how}: ${String(answer.status)} ${answer.body.slice(0, 200)}`)
        }
      })
      expect(wrong.slice(0, 10)).toEqual([])
      expect(app.logger.lines.filter((line) => line.startsWith('error'))).toEqual([])
      const after = await invoke('accounts:list', JSON.stringify({ args: { offset: 0, limit: 10 } }))
      expect(after.status).toBe(200)
      expect(JSON.parse(after.body)).toMatchObject({ ok: true, value: { accounts: [], total: 0, all: 0 } })
    })
  }
})
