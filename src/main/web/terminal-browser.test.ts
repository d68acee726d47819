import { describe, expect, it } from 'vitest'
import { announcingBrowser } from './terminal-browser.ts'

const SIGN_IN = 'https://id.example.test/authorize?state=abc&code_challenge=def'
const SIGN_OUT = 'https://id.example.test/session/end?id_token_hint=eyJ.secret.sig'

describe('announcingBrowser', () => {
  it('prints one line with the sign-in address, whether or not the browser opened', async () => {
    const lines: string[] = []
    await announcingBrowser({ open: () => Promise.resolve() }, (line) => lines.push(line)).open(SIGN_IN, 'sign-in')
    const failing = announcingBrowser({ open: () => Promise.reject(new Error('xdg-open failed (exit code 3).')) }, (line) => lines.push(line))
    await expect(failing.open(SIGN_IN, 'sign-in')).rejects.toThrow('exit code 3')
    expect(lines).toEqual([
      `Sign-in page sent to your browser. If it did not open, open this address: ${SIGN_IN}`,
      `Latchkey could not open your browser (xdg-open failed (exit code 3).). To sign in, open this address: ${SIGN_IN}`,
    ])
  })

  it('never prints a sign-out address (it may carry an ID token)', async () => {
    const lines: string[] = []
    await announcingBrowser({ open: () => Promise.resolve() }, (line) => lines.push(line)).open(SIGN_OUT, 'sign-out')
    const failing = announcingBrowser({ open: () => Promise.reject(new Error('no browser')) }, (line) => lines.push(line))
    await expect(failing.open(SIGN_OUT, 'sign-out')).rejects.toThrow()
    expect(lines).toEqual([])
  })
})
