import { describe, expect, it } from 'vitest'
import type { ProviderContext } from '../core/provider.ts'
import type { Session } from '../core/sessions/session.ts'
import { systemClock } from '../core/ports.ts'
import { withOperationsOnFirstUse, type Operations } from './loaded-on-first-use.ts'
import { OIDC_DESCRIPTOR } from './oidc/descriptor.ts'
import { allProviders } from './index.ts'

const ctx: ProviderContext = { clock: systemClock, logger: { info() {}, warn() {}, error() {} } }
const session = { accessToken: 'at' } as Session

function operations(calls: string[]): Operations {
  return {
    beginSignIn: () => Promise.reject(new Error('not used')),
    refresh: (config) => {
      calls.push(`refresh ${config.n ?? ''}`)
      return Promise.resolve({ session })
    },
    signOut: () => Promise.resolve({ revokedOnServer: true, endSessionUrl: null, message: 'Signed out.' }),
  }
}

const eager = { kind: 'oidc' as const, descriptor: OIDC_DESCRIPTOR, parseConfig: () => ({}), backendName: () => 'x' }

describe('withOperationsOnFirstUse', () => {
  it('loads the operations on the first call, once for calls made together, and answers every call', async () => {
    const calls: string[] = []
    let loads = 0
    const provider = withOperationsOnFirstUse(eager, ['beginSignIn', 'refresh', 'signOut'], () => {
      loads++
      return Promise.resolve(operations(calls))
    })
    expect(loads).toBe(0)
    const answers = await Promise.all([provider.refresh({ n: '1' }, session, ctx), provider.refresh({ n: '2' }, session, ctx)])
    expect(answers.map((a) => a.session)).toEqual([session, session])
    await provider.signOut({}, session, ctx)
    await provider.refresh({ n: '3' }, session, ctx)
    expect(loads).toBe(1)
    expect(calls).toEqual(['refresh 1', 'refresh 2', 'refresh 3'])
  })

  it('has only the operations it names, before anything is loaded (callers test for them)', () => {
    const provider = withOperationsOnFirstUse(eager, ['beginSignIn', 'refresh', 'signOut'], () => Promise.resolve(operations([])))
    expect(typeof provider.refresh).toBe('function')
    expect('checkSession' in provider).toBe(false)
    expect('actions' in provider).toBe(false)
  })

  it('reports a failed load to the caller and tries again on the next call', async () => {
    let loads = 0
    const provider = withOperationsOnFirstUse(eager, ['beginSignIn', 'refresh', 'signOut'], () => {
      loads++
      return loads === 1 ? Promise.reject(new Error('chunk missing')) : Promise.resolve(operations([]))
    })
    await expect(provider.refresh({}, session, ctx)).rejects.toThrow('chunk missing')
    await expect(provider.refresh({}, session, ctx)).resolves.toEqual({ session })
    expect(loads).toBe(2)
  })

  it('refuses operations it names that the loaded module lacks', async () => {
    const provider = withOperationsOnFirstUse(eager, ['beginSignIn', 'refresh', 'signOut', 'actions'], () => Promise.resolve(operations([])))
    await expect(provider.refresh({}, session, ctx)).rejects.toThrow('The oidc backend has no "actions" operation.')
  })
})

describe('every backend', () => {
  it('loads operations it declares: each named one is there after the first call', async () => {
    for (const provider of allProviders()) {
      const named = ['beginSignIn', 'refresh', 'checkSession', 'signOut', 'actions', 'runAction', 'cleanUp'].filter((name) => name in provider)
      const before = new Map(named.map((name) => [name, Reflect.get(provider, name) as unknown]))
      // A call that fails fast (no server behind this configuration) still loads the operations.
      await provider.signOut({ url: 'http://127.0.0.1:9', issuer: 'http://127.0.0.1:9', appHost: 'http://127.0.0.1:9' }, session, ctx).catch(() => undefined)
      for (const name of named) expect(Reflect.get(provider, name), `${provider.kind} ${name}`).not.toBe(before.get(name))
    }
  })
})
