/**
 * A backend whose operations (sign-in, renewal, sign-out, actions: the code that talks to its
 * server, and the SDK it does that with) are loaded when one is first called. What the account list
 * and the forms need (the descriptor, reading a configuration, the backend's name, handing out a
 * token) is there from the start: a start answers the page without loading any backend's SDK.
 */
import type { Provider } from '../core/provider.ts'

/** The provider's methods that talk to the server (all asynchronous). */
export type Operations = Pick<Provider, 'beginSignIn' | 'refresh' | 'signOut'> & Partial<Pick<Provider, 'checkSession' | 'actions' | 'runAction' | 'cleanUp'>>

type OperationName = keyof Operations

/**
 * `eager` with the operations named in `names` loaded by `load` on the first call of any of them
 * (once: a failed load is tried again on the next call). Once loaded, the provider calls them
 * directly.
 */
export function withOperationsOnFirstUse(eager: Omit<Provider, OperationName>, names: readonly OperationName[], load: () => Promise<Operations>): Provider {
  const provider: Record<string, unknown> = { ...eager }
  let loading: Promise<Operations> | undefined
  const loaded = (): Promise<Operations> =>
    (loading ??= load().then(
      (operations) => {
        for (const name of names) {
          const operation = operations[name]
          if (typeof operation !== 'function') throw new Error(`The ${eager.kind} backend has no "${name}" operation.`)
          provider[name] = operation
        }
        return operations
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    ))
  for (const name of names) {
    provider[name] = async (...args: unknown[]): Promise<unknown> => {
      await loaded()
      return (provider[name] as (...a: unknown[]) => Promise<unknown>)(...args)
    }
  }
  return provider as unknown as Provider
}
