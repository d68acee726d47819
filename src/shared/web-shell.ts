/** What the browser shell and its page agree on, besides the contract. */

/** The header that carries the per-launch key on every call. */
export const SHELL_KEY_HEADER = 'x-latchkey-key'
/** POST here + the channel name to invoke it. */
export const INVOKE_PATH = '/__latchkey/invoke/'
/**
 * POST `{ calls: [{ channel, args }, …] }` (at most MAX_CALLS): invokes each as INVOKE_PATH would,
 * answered together, in order, as one JSON array of results. The page's first calls go this way:
 * one request and one answer for the page to take instead of one per call.
 */
export const CALLS_PATH = '/__latchkey/calls'
/** The most calls one CALLS_PATH request may carry. */
export const MAX_CALLS = 8
/** GET: the event stream. */
export const EVENTS_PATH = '/__latchkey/events'
/** How long the page waits before it opens the event stream again after it ended or failed. */
export const EVENTS_RETRY_MS = 1000
/** POST, with the key: the page has drawn its first page of accounts (the shell then reads the keychain). */
export const PAINTED_PATH = '/__latchkey/painted'
/** On every answer from the bridge (401s too): which launch of the shell answered. Not a secret. */
export const SHELL_LAUNCH_HEADER = 'x-latchkey-launch'
/**
 * POST, without the key: the shell opens its private launch page in the browser again, so a tab
 * left open across a restart gets a tab with the new key (the key itself never crosses HTTP).
 */
export const REOPEN_PATH = '/__latchkey/reopen'
