import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire, pathToFuseFile } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import config from '../../../electron-builder.config.mjs'
import afterPack from '../../../scripts/packaging/after-pack.mjs'
import { LATCHKEY_FUSES } from '../../../scripts/packaging/fuses.mjs'
import { executableIn } from '../../../scripts/packaging/packaged-app.mjs'
import { useTempDirs } from '../temp-dirs.ts'

const tempDir = useTempDirs()

/** The sentinel @electron/fuses looks for in an Electron binary, followed by the fuse wire. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

/**
 * A file laid out like the fuse section of an Electron binary (sentinel, wire version 1, length,
 * one byte per fuse, all at Electron's defaults), so the hook can be run here, where Electron
 * cannot. The real binaries are checked by the packaged-app suite in CI.
 */
function fakeBinaryWithFuseWire(path: string): void {
  // Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
  // ASAR integrity off, only-from-ASAR off, file:// privileges on, WASM trap handlers off.
  const defaults = '10110010'
  writeFileSync(path, Buffer.concat([Buffer.from('\x7fELF padding '), Buffer.from(SENTINEL), Buffer.from([1, defaults.length]), Buffer.from(defaults), Buffer.from(' tail')]))
}

describe('the installer configuration', () => {
  it('builds AppImage and deb on Linux, dmg on macOS and NSIS on Windows, from an ASAR archive', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.asar).toBe(true)
    expect(config.publish).toBeNull()
    expect(config.files).toContain('out/**/*')
    expect(config.afterPack).toBe('./scripts/packaging/after-pack.mjs')
  })

  it('sets every fuse the security checklist asks for', () => {
    expect(LATCHKEY_FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    })
  })

  it('the afterPack hook burns those fuses into the packed executable, and they read back', async () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      const appOutDir = tempDir('lk-pack-')
      const executable = executableIn(appOutDir, platform)
      // On macOS the fuse wire lives in the Electron framework next to the executable.
      const fuseFile = pathToFuseFile(executable)
      mkdirSync(dirname(fuseFile), { recursive: true })
      fakeBinaryWithFuseWire(fuseFile)
      expect(await afterPack({ electronPlatformName: platform, appOutDir, arch: 1 })).toBe(executable)
      const wire: Record<number, FuseState | undefined> = await getCurrentFuseWire(executable)
      for (const [fuse, enabled] of Object.entries(LATCHKEY_FUSES)) {
        expect(wire[Number(fuse)], `${platform} fuse ${fuse}`).toBe(enabled ? FuseState.ENABLE : FuseState.DISABLE)
      }
      // Only the fuse bytes changed.
      expect(readFileSync(fuseFile).subarray(0, 13).toString()).toBe('\x7fELF padding ')
    }
  })

  it('puts `latchkey` on PATH from the deb: a wrapper that runs the app binary as the command line, removed with the package', () => {
    expect(config.deb.afterInstall).toBe('build/linux/after-install.sh')
    expect(config.deb.afterRemove).toBe('build/linux/after-remove.sh')
    const root = tempDir('lk-deb-')
    const bin = join(root, 'bin')
    // What electron-builder makes of the template: its product and executable names filled in.
    const script = readFileSync(config.deb.afterInstall, 'utf8').replaceAll('${sanitizedProductName}', 'Latchkey').replaceAll('${executable}', config.linux.executableName)
    const installed = spawnSync('sh', ['-c', script], { env: { ...process.env, LATCHKEY_BIN_DIR: bin }, encoding: 'utf8' })
    expect(installed.status, installed.stderr).toBe(0)
    const wrapper = join(bin, 'latchkey')
    expect(readFileSync(wrapper, 'utf8')).toBe('#!/bin/sh\nexec "/opt/Latchkey/latchkey" --latchkey-cli "$@"\n')
    expect(statSync(wrapper).mode & 0o777).toBe(0o755)
    const removed = spawnSync('sh', [config.deb.afterRemove], { env: { ...process.env, LATCHKEY_BIN_DIR: bin }, encoding: 'utf8' })
    expect(removed.status, removed.stderr).toBe(0)
    expect(existsSync(wrapper)).toBe(false)
  })

  it('names the executables electron-builder makes', () => {
    expect(executableIn('/o', 'linux')).toBe('/o/latchkey')
    expect(executableIn('/o', 'win32')).toBe('/o/Latchkey.exe')
    expect(executableIn('/o', 'darwin')).toBe('/o/Latchkey.app/Contents/MacOS/Latchkey')
  })
})
