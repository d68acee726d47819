/** Keyboard focus helpers: attachments for `{@attach …}` and a check for focus that fell off the page. */
import type { Attachment } from 'svelte/attachments'
import type { FocusRequests, FocusTarget, ScreenKey } from '../state/focus-request.svelte.ts'

/** An attachment that focuses its element when it appears: `{@attach focusOnMount}`. */
export function focusOnMount(node: HTMLElement): void {
  node.focus()
}

/** Focuses the element when focus was asked for this target on this screen (now, or later while it is shown). */
export function focusWhenAsked(requests: FocusRequests, target: FocusTarget, screen: ScreenKey): Attachment<HTMLElement> {
  return (node) => {
    if (requests.take(target, screen)) node.focus()
  }
}

/** Calls `handler` for Escape pressed on the element or inside it. */
export function onEscape(handler: () => void): Attachment<HTMLElement> {
  return (node) => {
    const listener = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      event.preventDefault()
      handler()
    }
    node.addEventListener('keydown', listener)
    return () => node.removeEventListener('keydown', listener)
  }
}

/** True when nothing has focus any more (the focused element went away with what it belonged to). */
export function focusLost(): boolean {
  const active = document.activeElement
  return active === null || active === document.body || !active.isConnected
}

/** Focuses `preferred` when focus was lost and it is still on the page, else `fallback`. */
export function restoreFocus(preferred: HTMLElement | null | undefined, fallback?: HTMLElement | null): void {
  if (!focusLost()) return
  const target = preferred?.isConnected ? preferred : fallback
  target?.focus()
}
