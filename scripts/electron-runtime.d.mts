/** Finds the Electron runtime binary without triggering electron's lazy download. */
export function findElectronRuntime(options?: { tryDownload?: boolean }): { path: string; reason?: undefined } | { path?: undefined; reason: string }
