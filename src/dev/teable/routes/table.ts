/** The emulator's route table: `:name` path parameters. */
import type { Ctx } from '../http.ts'
import type { TeableState } from '../state.ts'

export type Handler = (state: TeableState, ctx: Ctx) => Promise<void> | void

export interface Route {
  method: string
  pattern: RegExp
  names: string[]
  handler: Handler
}

export function route(method: string, path: string, handler: Handler): Route {
  const names: string[] = []
  const source = path.replace(/:(\w+)/g, (_match, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { method, pattern: new RegExp(`^${source}$`), names, handler }
}

export function findRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of routes) {
    const found = candidate.pattern.exec(pathname)
    if (found === null || candidate.method !== method) continue
    const params: Record<string, string> = {}
    candidate.names.forEach((name, index) => {
      params[name] = decodeURIComponent(found[index + 1] ?? '')
    })
    return { route: candidate, params }
  }
  return undefined
}
