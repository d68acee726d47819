import { describe, expect, it } from 'vitest'
import { assertWebUrl } from './web-url.ts'

describe('assertWebUrl', () => {
  it('lets https anywhere and http on loopback through', () => {
    expect(assertWebUrl('https://id.example.com/authorize?a=1&b=2')).toBe('https://id.example.com/authorize?a=1&b=2')
    expect(assertWebUrl('http://127.0.0.1:4000/auth')).toBe('http://127.0.0.1:4000/auth')
    expect(assertWebUrl('http://[::1]:4000/auth')).toBe('http://[::1]:4000/auth')
  })

  it('refuses plain http elsewhere and every other scheme', () => {
    for (const url of ['http://id.example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://latchkey/']) {
      expect(() => assertWebUrl(url), url).toThrow(/Refusing/)
    }
  })
})
