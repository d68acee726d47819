/** Fuse → the value it must have in a packaged Latchkey (keys are @electron/fuses' FuseV1Options). */
export const LATCHKEY_FUSES: Readonly<Record<number, boolean>>
/** The options for @electron/fuses' flipFuses. */
export function fuseConfig(options?: Record<string, unknown>): Record<string | number, unknown>
