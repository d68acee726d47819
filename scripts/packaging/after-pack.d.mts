/** electron-builder afterPack hook: burns the fuses into the packed binary; returns its path. */
export default function afterPack(context: { electronPlatformName: string; appOutDir: string; arch: number }): Promise<string>
