// Where electron-builder puts the unpacked app's executable, per platform (see electron-builder.config.mjs).
import { join } from 'node:path'

export const PRODUCT_NAME = 'Latchkey'
export const LINUX_EXECUTABLE = 'latchkey'

/** The Electron executable inside an unpacked app folder (electron-builder's appOutDir). */
export function executableIn(appOutDir, platform) {
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${PRODUCT_NAME}.app`, 'Contents', 'MacOS', PRODUCT_NAME)
  if (platform === 'win32') return join(appOutDir, `${PRODUCT_NAME}.exe`)
  return join(appOutDir, LINUX_EXECUTABLE)
}
