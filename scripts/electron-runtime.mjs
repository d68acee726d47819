// Finds the Electron runtime binary without triggering electron's lazy download.
// Returns { path } when it can run here, or { reason } saying in one line why not.
import { existsSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export function findElectronRuntime({ tryDownload = false } = {}) {
  let pkgDir
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return { reason: 'the electron package is not installed (run npm ci)' }
  }
  const located = locate(pkgDir)
  if (located) return located
  if (tryDownload) {
    const result = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 })
    if (result.status === 0) {
      const after = locate(pkgDir)
      if (after) return after
    }
    return { reason: 'the Electron runtime binary is not installed and could not be downloaded' }
  }
  return { reason: 'the Electron runtime binary is not installed' }
}

function locate(pkgDir) {
  const pathFile = join(pkgDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist')
  const full = join(base, relative)
  return existsSync(full) ? { path: full } : null
}
