/** The route table: `{name}` path parameters, matched on the decoded path. */
import type { App } from './app.ts'
import type { Ctx } from './http.ts'

export type Handler = (app: App, ctx: Ctx) => Promise<void> | void

export interface Route {
  methods: string[]
  pattern: RegExp
  names: string[]
  handler: Handler
  /** The path as written, with `{name}` parameters. */
  path: string
  /** The tags of PocketBase's rate limit rules for this collection route (see rate-limits.ts); none for other routes. */
  rateLimitTags?: readonly string[]
}

export function route(methods: string | string[], path: string, handler: Handler, rateLimitTags?: readonly string[]): Route {
  const names: string[] = []
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { methods: [methods].flat(), pattern: new RegExp(`^${source}$`), names, handler, path, ...(rateLimitTags === undefined ? {} : { rateLimitTags }) }
}

/** The route for this method and path, with its parameters (undefined if none matches). */
export function match(routes: readonly Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of routes) {
    const found = candidate.pattern.exec(pathname)
    if (found === null) continue
    const wanted = method === 'HEAD' ? ['HEAD', 'GET'] : [method]
    if (!candidate.methods.some((allowed) => wanted.includes(allowed))) continue
    const params: Record<string, string> = {}
    candidate.names.forEach((name, index) => {
      params[name] = decode(found[index + 1] ?? '')
    })
    return { route: candidate, params }
  }
  return undefined
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
