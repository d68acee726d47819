/**
 * When to refresh an access token, and how long to wait after a failed attempt. Pure functions;
 * the randomness is passed in so tests can pin it.
 */

/** Refresh at least this long before expiry… */
export const MIN_LEAD_MS = 60_000
/** …or this fraction of the token's lifetime, whichever is longer. */
export const LEAD_FRACTION = 0.1
/** Jitter spreads refreshes over up to this long (or 5 % of the lifetime, if shorter). */
export const MAX_JITTER_MS = 30_000
export const JITTER_FRACTION = 0.05
/** Never refresh sooner than this after a token was issued, so a tiny lifetime cannot spin. */
export const MIN_REFRESH_GAP_MS = 1_000

/**
 * The time to refresh a token that expires at `expiresAt` and was issued at `issuedAt` (ms since
 * the epoch): expiresAt − max(60 s, 10 % of lifetime) − jitter, jitter being a random share of
 * min(30 s, 5 % of lifetime). For lifetimes under two minutes the lead is capped at half the
 * lifetime, so a token lasting a few seconds is refreshed halfway rather than straight away, and
 * the result is never earlier than `issuedAt` + 1 s.
 */
export function refreshDueAt(expiresAt: number, issuedAt: number, random: () => number = Math.random): number {
  const lifetime = Math.max(0, expiresAt - issuedAt)
  const lead = Math.min(Math.max(MIN_LEAD_MS, lifetime * LEAD_FRACTION), lifetime / 2)
  const jitterWindow = Math.min(MAX_JITTER_MS, lifetime * JITTER_FRACTION)
  const due = expiresAt - lead - unit(random) * jitterWindow
  return Math.max(issuedAt + MIN_REFRESH_GAP_MS, Math.floor(due))
}

export interface BackoffPolicy {
  baseMs: number
  capMs: number
}

/** Up to this share of a backoff delay is taken off at random, so clients do not retry in step. */
export const BACKOFF_JITTER_FRACTION = 0.2

/**
 * How long to wait before retry number `attempt` (1 for the first retry): baseMs · 2^(attempt−1),
 * capped at capMs, minus up to 20 % jitter. Never more than capMs, never negative.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1)
  const capped = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 64))
  return Math.max(0, Math.round(capped * (1 - BACKOFF_JITTER_FRACTION * unit(random))))
}

/** A server's "not before" time is kept, plus up to this much at random so accounts do not all return at once. */
export const RETRY_AT_JITTER_MS = 5_000

/**
 * When to retry after a failure the server dated (a 429's Retry-After / X-RateLimit-Reset): never
 * before `retryAt`, nor before the ordinary backoff would, plus up to 5 s of jitter.
 */
export function retryDueAt(now: number, backoffMs: number, retryAt: number | undefined, random: () => number = Math.random): number {
  const backedOff = now + backoffMs
  if (retryAt === undefined || !Number.isFinite(retryAt) || retryAt <= backedOff) return backedOff
  return Math.ceil(retryAt + unit(random) * RETRY_AT_JITTER_MS)
}

/** A random source's value forced into [0, 1], so a faulty source cannot push a deadline outside its window. */
function unit(random: () => number): number {
  const value = random()
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0
}
