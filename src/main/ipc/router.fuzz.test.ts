import { afterAll, describe, expect, it } from 'vitest'
import { FUZZ_CALLS_PER_FAMILY, familySeed, fuzzApp } from '../../dev/fuzz/fuzz-app.ts'
import { channelFamilies, malformedCalls, seededRandom } from '../../dev/fuzz/malformed-calls.ts'

const app = fuzzApp()
afterAll(() => app.latchkey.dispose())

describe(`the router, fuzzed with ${String(FUZZ_CALLS_PER_FAMILY)} malformed calls per channel family`, () => {
  for (const [family, channels] of channelFamilies()) {
    it(`answers VALIDATION to every malformed ${family}:* call and keeps working`, async () => {
      const wrong: string[] = []
      for (const call of malformedCalls(channels, FUZZ_CALLS_PER_FAMILY, seededRandom(familySeed(family)))) {
        const result = await app.router.handle(call.channel, call.args)
        if (result.ok || result.error.code !== 'VALIDATION') {
          wrong.push(`${call.channel} ${call.how}: ${JSON.stringify(result).slice(0, 200)}`)
        }
      }
      expect(wrong.slice(0, 10)).toEqual([])
      expect(app.logger.lines.filter((line) => line.startsWith('error'))).toEqual([])
      expect(app.opened).toEqual([])
      expect(await app.router.handle('accounts:list', { offset: 0, limit: 10 })).toMatchObject({ ok: true, value: { accounts: [], total: 0 } })
    })
  }

  it('answers VALIDATION to channels that do not exist', async () => {
    const random = seededRandom(familySeed('unknown'))
    for (let index = 0; index < 1000; index += 1) {
      const name = `${['app', 'accounts', 'auth', '__proto__', 'constructor', ''][index % 6] ?? ''}:${Math.floor(random() * 1e9).toString(36)}`
      const result = await app.router.handle(name, {})
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    }
  })
})
