/**
 * Waits for a rule a server under test times itself, computed from when the rule started instead of
 * a pause long enough on a quiet machine. The server and the tests read the same machine's clock,
 * and each `since` is read after the answer that started the rule, so the server's own record (a
 * send time, a token's use, an MFA session's start) is no later than it.
 */
import { decodeJwt } from 'jose'

/** For the two clock reads (the server's, this process's) and a timer's rounding to the millisecond. */
const SLACK_MS = 20

async function until(at: number): Promise<void> {
  const left = at - Date.now()
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left))
}

/** Until `seconds` have passed since `since` (a send answered then, a refresh token used then, an MFA session started then). */
export const untilPast = (since: number, seconds: number): Promise<void> => until(since + seconds * 1000 + SLACK_MS)

/**
 * Until the server's clock is in a later whole second than at `since`: a JWT's iat and exp and an
 * amr entry's timestamp are whole seconds, so two tokens of one session issued in the same second
 * are the same bytes, and two factors used in the same second are not in order.
 */
export const untilNextSecond = (since: number): Promise<void> => until((Math.floor(since / 1000) + 1) * 1000 + SLACK_MS)

/** Until a server refuses `token` as expired: from its exp, whole seconds (expired from that second on). */
export const untilExpired = (token: string): Promise<void> => until((decodeJwt(token).exp ?? 0) * 1000 + SLACK_MS)

/** Until every token issued by `issuedBy` and lasting `lifetimeSeconds` (whole seconds) has expired. */
export const untilIssuedExpired = (issuedBy: number, lifetimeSeconds: number): Promise<void> => until((Math.floor(issuedBy / 1000) + lifetimeSeconds) * 1000 + SLACK_MS)

/** Until a timestamp the server writes now is later than `timestamp` (one it gave, compared to the millisecond). */
export const untilAfter = (timestamp: unknown): Promise<void> => until(Date.parse(String(timestamp)) + 1)
