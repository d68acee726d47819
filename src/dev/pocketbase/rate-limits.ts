/**
 * PocketBase's settings rate limiter for the collection routes (apis/middlewares_rate_limit.go
 * collectionPathRateLimit, core/settings_model.go FindRateLimitRule): off unless rules are given.
 * Each route has tags ("authWithPassword", "auth"); the first rule matching, in order,
 * `<collection>:<tag>`, `*:<tag>`, `<METHOD> <path>`, `<path>` (a rule ending in "/" matches by
 * prefix) limits that route per client IP, with a fixed window. Superusers are never limited. The
 * refusal is the generic 429 "Too Many Requests.", unlike the OTP limiter's own sentence.
 */
import type { App } from './app.ts'
import { tooManyRequests } from './errors.ts'
import type { Ctx } from './http.ts'
import type { Collection } from './store.ts'

export interface RateLimitRule {
  /** "users:authWithPassword", "*:auth", "POST /api/…", "/api/" (a prefix). */
  label: string
  maxRequests: number
  /** The window, in seconds. */
  duration: number
}

/** Throws PocketBase's 429 when this request goes over the rule that applies to it. */
export function checkCollectionRateLimit(app: App, ctx: Ctx, collection: Collection, pattern: string, tags: readonly string[]): void {
  if (app.rateLimits.length === 0 || ctx.auth?.collection.name === '_superusers') return
  const labels = [
    ...tags.map((tag) => `${collection.name}:${tag}`),
    ...tags.map((tag) => `*:${tag}`),
    `${ctx.method} ${ctx.url.pathname}`,
    ctx.url.pathname,
  ]
  const rule = findRule(app.rateLimits, labels)
  if (rule === undefined) return
  const key = `${collection.id}${pattern}${tags.join('')}|${ctx.ip}`
  if (!app.limiter.allow(key, rule.maxRequests, rule.duration)) throw tooManyRequests()
}

function findRule(rules: readonly RateLimitRule[], labels: readonly string[]): RateLimitRule | undefined {
  const prefixes = rules.filter((rule) => rule.label.endsWith('/'))
  for (const label of labels) {
    const exact = rules.find((rule) => rule.label === label)
    if (exact !== undefined) return exact
    const prefix = prefixes.find((rule) => `${label}/`.startsWith(rule.label))
    if (prefix !== undefined) return prefix
  }
  return undefined
}
