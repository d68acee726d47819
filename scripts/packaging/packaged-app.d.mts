export const PRODUCT_NAME: string
export const LINUX_EXECUTABLE: string
/** The Electron executable inside an unpacked app folder (electron-builder's appOutDir). */
export function executableIn(appOutDir: string, platform: string): string
