// Latchkey's installers: AppImage and deb on Linux, dmg on macOS, NSIS on Windows.
// `npx electron-builder --config electron-builder.config.mjs` after `npm run build`.
// The afterPack hook burns the fuses (scripts/packaging/fuses.mjs) into the packed binary; the
// ASAR integrity the fuses enforce needs `asar: true`.
import { LINUX_EXECUTABLE, PRODUCT_NAME } from './scripts/packaging/packaged-app.mjs'

export default {
  appId: 'app.latchkey.desktop',
  productName: PRODUCT_NAME,
  copyright: 'Latchkey contributors',
  directories: { output: 'dist', buildResources: 'build' },
  files: ['out/**/*', 'package.json', '!**/*.map'],
  asar: true,
  // keytar is a native module: it must live outside the archive to load.
  asarUnpack: ['**/node_modules/keytar/**'],
  afterPack: './scripts/packaging/after-pack.mjs',
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    executableName: LINUX_EXECUTABLE,
    icon: 'build/icon.png',
    category: 'Utility',
    maintainer: 'Latchkey contributors',
    synopsis: 'One desktop app for many accounts on many auth backends',
  },
  // The keychain: libsecret and a Secret Service (gnome-keyring or KWallet).
  // `latchkey` on PATH: /usr/bin/latchkey runs the app binary as the command line (--latchkey-cli);
  // the menu entry starts the app. AppImage, macOS and Windows: see README, "Command line".
  deb: {
    depends: ['libsecret-1-0', 'libnss3', 'libgtk-3-0'],
    afterInstall: 'build/linux/after-install.sh',
    afterRemove: 'build/linux/after-remove.sh',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.utilities',
    hardenedRuntime: true,
    icon: 'build/icon.png',
  },
  dmg: { sign: false },
  win: { target: ['nsis'], icon: 'build/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
}
