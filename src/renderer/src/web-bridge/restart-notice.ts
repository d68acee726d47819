/**
 * What a tab left open across a restart of the browser shell shows: the shell no longer takes this
 * tab's key (it belongs to the earlier launch), so the page is stale. A modal dialog says so, with
 * one button that asks the shell to open its private launch page again: the new key goes from that
 * file straight into a new tab of the person's browser, never over HTTP to this (or any) page.
 */
import { REOPEN_PATH } from '../../../shared/web-shell.ts'
import type { Result } from '../../../shared/contract.ts'

export const RESTARTED_TITLE = 'Latchkey was restarted — reload'

export function showRestartNotice(doc: Document = document): HTMLDialogElement {
  const existing = doc.querySelector<HTMLDialogElement>('dialog.restart-notice')
  if (existing) return existing
  const dialog = doc.createElement('dialog')
  dialog.className = 'restart-notice'
  dialog.setAttribute('aria-labelledby', 'restart-notice-title')
  dialog.setAttribute('aria-describedby', 'restart-notice-text')
  const title = doc.createElement('h2')
  title.id = 'restart-notice-title'
  title.textContent = RESTARTED_TITLE
  const text = doc.createElement('p')
  text.id = 'restart-notice-text'
  text.textContent = 'This tab belongs to the previous launch, so what it shows may be out of date and it can no longer reach Latchkey. Reload opens Latchkey in a new tab with this launch’s key.'
  const status = doc.createElement('p')
  status.setAttribute('role', 'status')
  status.className = 'restart-status'
  const button = doc.createElement('button')
  button.type = 'button'
  button.className = 'primary'
  button.textContent = 'Reload'
  button.addEventListener('click', () => void reopen(button, status))
  dialog.append(title, text, status, button)
  // Escape would leave the stale page usable-looking behind it: the dialog stays.
  dialog.addEventListener('cancel', (event) => event.preventDefault())
  doc.body.append(dialog)
  dialog.showModal()
  button.focus()
  return dialog
}

async function reopen(button: HTMLButtonElement, status: HTMLElement): Promise<void> {
  if (button.getAttribute('aria-disabled') === 'true') return
  button.setAttribute('aria-disabled', 'true')
  status.textContent = 'Opening Latchkey…'
  let result: Result<null>
  try {
    const response = await fetch(REOPEN_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    result = (await response.json()) as Result<null>
  } catch {
    result = { ok: false, error: { code: 'NETWORK', message: 'Latchkey is not running any more. Start it again, then open the page it prints.' } }
  }
  status.textContent = result.ok ? 'Latchkey opened in a new tab of your browser. You can close this one.' : result.error.message
  button.removeAttribute('aria-disabled')
}
