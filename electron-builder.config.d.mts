/** Types for electron-builder.config.mjs, as far as the tests read it. */
declare const config: {
  appId: string
  productName: string
  asar: boolean
  asarUnpack: string[]
  files: string[]
  afterPack: string
  publish: null
  linux: { target: string[]; executableName: string }
  deb: { depends: string[]; afterInstall: string; afterRemove: string }
  mac: { target: string[] }
  win: { target: string[] }
}
export default config
