import { describe, expect, it } from 'vitest'
import { secureWebPreferences } from './web-preferences.ts'

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer with no Node access', () => {
    const prefs = secureWebPreferences('/app/preload.cjs')
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    })
    expect(prefs.experimentalFeatures).toBe(false)
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
  })
})
