// The Electron fuses Latchkey's installers ship with (Electron security checklist item 19), burnt
// into the packed Electron binary by after-pack.mjs and read back by the Electron smoke suite.
import { FuseV1Options, FuseVersion } from '@electron/fuses'

/** Fuse → the value it must have in a packaged Latchkey. */
export const LATCHKEY_FUSES = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node.js.
  [FuseV1Options.RunAsNode]: false,
  // Cookies and other Chromium storage encrypted with an OS-protected key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS would let anything in the environment load code into the app.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and friends would let anything that starts the app attach a debugger.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar is checked against the hash recorded at build time, and nothing outside it is loaded.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // file:// gets no more rights than any other scheme (the UI is served from app://).
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
})

/** The options for @electron/fuses' flipFuses. */
export function fuseConfig(options = {}) {
  return { version: FuseVersion.V1, ...LATCHKEY_FUSES, ...options }
}
