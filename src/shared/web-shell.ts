/** What the browser shell and its page agree on, besides the contract. */

/** The header that carries the per-launch key on every call. */
export const SHELL_KEY_HEADER = 'x-latchkey-key'
/** POST here + the channel name to invoke it. */
export const INVOKE_PATH = '/__latchkey/invoke/'
/** GET: the event stream. */
export const EVENTS_PATH = '/__latchkey/events'
