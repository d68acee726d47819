/**
 * The browser shell copies a token in the page. Like the desktop app, it takes the token off the
 * clipboard again after a minute if it is still there, but a page may only look at the clipboard
 * when the browser has already granted it clipboard reading; it never asks for that permission.
 * Only a SHA-256 digest of the token is kept for the comparison, never the token.
 */
export const CLIPBOARD_CLEAR_MS = 60_000

export type ClearPlan = 'scheduled' | 'not-allowed'

export async function clearClipboardLater(text: string, ms = CLIPBOARD_CLEAR_MS): Promise<ClearPlan> {
  let state: string
  try {
    state = (await navigator.permissions.query({ name: 'clipboard-read' as PermissionName })).state
  } catch {
    return 'not-allowed'
  }
  if (state !== 'granted' || !('subtle' in crypto)) return 'not-allowed'
  const copied = await digest(text)
  setTimeout(() => {
    void (async () => {
      try {
        if ((await digest(await navigator.clipboard.readText())) === copied) await navigator.clipboard.writeText('')
      } catch {
        // The page lost focus or the permission: nothing can be done from here.
      }
    })()
  }, ms)
  return 'scheduled'
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
