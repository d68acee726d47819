// electron-builder afterPack hook: burns Latchkey's fuses into the packed Electron binary, before
// signing (flipping a fuse changes the binary). On Apple silicon the ad-hoc signature is redone.
import { flipFuses } from '@electron/fuses'
import { fuseConfig } from './fuses.mjs'
import { executableIn } from './packaged-app.mjs'

/** electron-builder's Arch enum: arm64 is 3. */
const ARM64 = 3

export default async function afterPack(context) {
  const platform = context.electronPlatformName
  const executable = executableIn(context.appOutDir, platform)
  await flipFuses(executable, fuseConfig({ resetAdHocDarwinSignature: platform === 'darwin' && context.arch === ARM64 }))
  return executable
}
