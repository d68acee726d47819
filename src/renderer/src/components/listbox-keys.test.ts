import { describe, expect, it } from 'vitest'
import { isSwitcherShortcut, nextIndex } from './listbox-keys.ts'

describe('nextIndex', () => {
  it('moves one step and stops at the ends', () => {
    expect(nextIndex('ArrowDown', 0, 3)).toBe(1)
    expect(nextIndex('ArrowDown', 2, 3)).toBe(2)
    expect(nextIndex('ArrowUp', 1, 3)).toBe(0)
    expect(nextIndex('ArrowUp', 0, 3)).toBe(0)
  })

  it('jumps with Home and End and ignores other keys', () => {
    expect(nextIndex('Home', 2, 3)).toBe(0)
    expect(nextIndex('End', 0, 3)).toBe(2)
    expect(nextIndex('a', 0, 3)).toBeNull()
    expect(nextIndex('ArrowDown', 0, 0)).toBeNull()
  })

  it('moves a page with PageUp and PageDown, and stops at the ends', () => {
    expect(nextIndex('PageDown', 0, 100, 7)).toBe(7)
    expect(nextIndex('PageDown', 95, 100, 7)).toBe(99)
    expect(nextIndex('PageUp', 10, 100, 7)).toBe(3)
    expect(nextIndex('PageUp', 3, 100, 7)).toBe(0)
  })
})

describe('isSwitcherShortcut', () => {
  it('accepts Ctrl+K and Cmd+K only', () => {
    expect(isSwitcherShortcut(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }))).toBe(true)
    expect(isSwitcherShortcut(new KeyboardEvent('keydown', { key: 'K', metaKey: true }))).toBe(true)
    expect(isSwitcherShortcut(new KeyboardEvent('keydown', { key: 'k' }))).toBe(false)
    expect(isSwitcherShortcut(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, shiftKey: true }))).toBe(false)
  })
})
