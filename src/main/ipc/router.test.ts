import { describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '../../shared/contract.ts'
import { AppError } from '../core/errors.ts'
import { recordingLogger } from '../core/testing/recording-logger.ts'
import { createRouter, type Handlers } from './router.ts'
import { schemas } from './schemas.ts'
import { allowOrigins, guardRouter } from './sender-policy.ts'

function handlersWith(overrides: Partial<Handlers>): Handlers {
  const calls: Record<string, unknown> = {}
  const base = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, (args: unknown) => ((calls[c] = args), `called ${c}`)]))
  return { ...base, ...overrides } as unknown as Handlers
}

describe('router', () => {
  it('passes validated arguments to the handler and wraps the value in a Result', async () => {
    const router = createRouter(handlersWith({ 'accounts:rename': ({ id, label }) => ({ id, label }) as never }), schemas, recordingLogger())
    expect(await router.handle('accounts:rename', { id: 'a1', label: 'Work' })).toEqual({ ok: true, value: { id: 'a1', label: 'Work' } })
  })

  it('answers VALIDATION naming the field when an argument is wrong, without calling the handler', async () => {
    let called = false
    const router = createRouter(handlersWith({ 'accounts:rename': () => ((called = true), undefined as never) }), schemas, recordingLogger())
    const result = await router.handle('accounts:rename', { id: 'a1', label: 42 })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'label' } })
    expect(called).toBe(false)
  })

  it('rejects extra properties and missing arguments', async () => {
    const router = createRouter(handlersWith({}), schemas, recordingLogger())
    expect(await router.handle('accounts:detail', { id: 'a', extra: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await router.handle('accounts:detail', undefined)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await router.handle('auth:begin', { kind: 'nope', config: {} })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'kind' } })
  })

  it('takes form answers with one picture, and refuses a second file or an oversized one', async () => {
    const seen: unknown[] = []
    const router = createRouter(handlersWith({ 'auth:continue': (args) => (seen.push(args), undefined as never) }), schemas, recordingLogger())
    const picture = { name: 'me.png', type: 'image/png', base64: 'iVBORw0KGgo=' }
    const ok = await router.handle('auth:continue', { attemptId: 'a1', action: 'save', values: { name: 'Ada', avatar: picture } })
    expect(ok).toMatchObject({ ok: true })
    expect(seen).toEqual([{ attemptId: 'a1', action: 'save', values: { name: 'Ada', avatar: picture } }])
    expect(await router.handle('auth:continue', { attemptId: 'a1', action: 'save', values: { a: picture, b: picture } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    const huge = { ...picture, base64: 'A'.repeat(8 * 1024 * 1024) }
    expect(await router.handle('accounts:runAction', { id: 'x', form: 'profile', action: 'save', values: { avatar: huge } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    expect(seen).toHaveLength(1)
  })

  it('answers VALIDATION for a channel that is not in the contract', async () => {
    const router = createRouter(handlersWith({}), schemas, recordingLogger())
    expect(await router.handle('shell:exec', { cmd: 'rm -rf /' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('turns a throwing handler into INTERNAL without echoing or logging the arguments', async () => {
    const logger = recordingLogger()
    const router = createRouter(
      handlersWith({
        'auth:begin': () => {
          throw new TypeError('boom')
        },
      }),
      schemas,
      logger,
    )
    const secret = 'client-secret-value-123'
    const result = await router.handle('auth:begin', { kind: 'oidc', config: { clientSecret: secret } })
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(result)).not.toContain(secret)
    expect(logger.lines.join('\n')).not.toContain(secret)
    expect(logger.lines.join('\n')).toContain('boom')
  })

  it('passes an AppError through with its code and message', async () => {
    const router = createRouter(
      handlersWith({
        'accounts:detail': () => {
          throw new AppError('NOT_FOUND', 'That account no longer exists.')
        },
      }),
      schemas,
      recordingLogger(),
    )
    expect(await router.handle('accounts:detail', { id: 'x' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'That account no longer exists.' },
    })
  })
})

describe('sender policy', () => {
  const policy = allowOrigins(['app://latchkey'])

  it('accepts frames on the app origin only', () => {
    expect(policy('app://latchkey/index.html')).toBe(true)
    expect(policy('https://evil.example/app://latchkey')).toBe(false)
    expect(policy('app://latchkey.evil.example/')).toBe(false)
    expect(policy('file:///etc/passwd')).toBe(false)
    expect(policy('not a url')).toBe(false)
    expect(policy(null)).toBe(false)
  })

  it('rejects a wrong sender before the router runs', async () => {
    let reached = false
    const guarded = guardRouter({ handle: () => ((reached = true), Promise.resolve({ ok: true, value: null })) }, policy)
    expect(await guarded('https://evil.example/', 'accounts:list', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    expect(reached).toBe(false)
    expect(await guarded('app://latchkey/index.html', 'accounts:list', undefined)).toEqual({ ok: true, value: null })
  })
})
