/**
 * Navigation, new windows, webviews and permissions (Electron checklist items 5, 12–15): the app
 * never navigates away from its own origin, opens no windows, and grants no permission.
 */
import type { App, Session } from 'electron'
import type { Logger } from '../core/ports.ts'
import type { SenderPolicy } from '../ipc/sender-policy.ts'

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

export function guardWebContents(app: App, isOwnPage: SenderPolicy, logger: Logger): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) {
        event.preventDefault()
        logger.warn('security.navigation-blocked', { origin: safeOrigin(url) })
      }
    })
    contents.on('will-redirect', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      logger.warn('security.window-open-denied', { origin: safeOrigin(url) })
      return { action: 'deny' }
    })
  })
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'invalid-url'
  }
}
