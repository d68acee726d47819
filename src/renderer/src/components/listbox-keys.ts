/** Where focus goes in a vertical list for a key press (`page` rows for PageUp/PageDown); null when the key is not a move. */
export function nextIndex(key: string, current: number, count: number, page = 10): number | null {
  if (count === 0) return null
  switch (key) {
    case 'PageDown':
      return Math.min(current + page, count - 1)
    case 'PageUp':
      return Math.max(current - page, 0)
    case 'ArrowDown':
      return Math.min(current + 1, count - 1)
    case 'ArrowUp':
      return Math.max(current - 1, 0)
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}

/** Ctrl+K, or Cmd+K on a Mac: the shortcut that jumps to the account switcher. */
export function isSwitcherShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k'
}
