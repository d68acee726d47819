import { describe, expect, it } from 'vitest'
import { contentTypeOf, resolveStaticPath } from './static-files.ts'

describe('resolveStaticPath', () => {
  it('maps / to index.html and files inside the root', () => {
    expect(resolveStaticPath('/srv/r', '/')).toBe('/srv/r/index.html')
    expect(resolveStaticPath('/srv/r', '/assets/a.js?v=1')).toBe('/srv/r/assets/a.js')
  })

  it('refuses paths that leave the root', () => {
    expect(resolveStaticPath('/srv/r', '/../etc/passwd')).toBeNull()
    expect(resolveStaticPath('/srv/r', '/%2e%2e/%2e%2e/etc/passwd')).toBeNull()
    expect(resolveStaticPath('/srv/r', '/a%00.js')).toBeNull()
    expect(resolveStaticPath('/srv/r', '/%E0%A4%A')).toBeNull()
  })

  it('names content types', () => {
    expect(contentTypeOf('x/index.html')).toContain('text/html')
    expect(contentTypeOf('x/a.JS')).toContain('javascript')
    expect(contentTypeOf('x/blob')).toBe('application/octet-stream')
  })
})
