import { describe, expect, it } from 'vitest'
import { FakeClock } from '../testing/fake-clock.ts'
import { recordingLogger } from '../testing/recording-logger.ts'
import { CLIPBOARD_CLEAR_MS, ClipboardGuard } from './clipboard-guard.ts'

/** The OS clipboard as the desktop has it: one text, which anyone may replace. */
function systemClipboard() {
  let text = ''
  return {
    get text() {
      return text
    },
    set(next: string) {
      text = next
    },
    writeText: (next: string) => Promise.resolve(void (text = next)),
    readText: () => Promise.resolve(text),
    clear: () => Promise.resolve(void (text = '')),
  }
}

describe('a copied token on the clipboard', () => {
  it('is cleared after 60 seconds if it is still there', async () => {
    const clock = new FakeClock()
    const clipboard = systemClipboard()
    const logger = recordingLogger()
    const guard = new ClipboardGuard(clipboard, clock, logger)
    await guard.copy('access-token-1')
    await clock.advance(CLIPBOARD_CLEAR_MS - 1)
    expect(clipboard.text).toBe('access-token-1')
    await clock.advance(1)
    expect(clipboard.text).toBe('')
    expect(logger.lines.join('\n')).toContain('token.clipboard-cleared')
    expect(logger.lines.join('\n')).not.toContain('access-token-1')
  })

  it('leaves what the person copied since alone', async () => {
    const clock = new FakeClock()
    const clipboard = systemClipboard()
    const guard = new ClipboardGuard(clipboard, clock, recordingLogger())
    await guard.copy('access-token-1')
    clipboard.set('a shopping list')
    await clock.advance(CLIPBOARD_CLEAR_MS)
    expect(clipboard.text).toBe('a shopping list')
  })

  it('counts the minute from the latest copy', async () => {
    const clock = new FakeClock()
    const clipboard = systemClipboard()
    const guard = new ClipboardGuard(clipboard, clock, recordingLogger())
    await guard.copy('access-token-1')
    await clock.advance(30_000)
    await guard.copy('id-token-2')
    await clock.advance(30_000)
    expect(clipboard.text).toBe('id-token-2')
    await clock.advance(30_000)
    expect(clipboard.text).toBe('')
  })
})
