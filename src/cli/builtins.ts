/**
 * The Node built-ins the `latchkey` command uses, taken without their ES module facade: importing
 * node:fs from an ES module builds its whole export list, and reading its getters loads the file
 * streams and fs/promises (a fifth of the command's time for a token the running app hands out).
 */
export const fs = process.getBuiltinModule('node:fs')
export const net = process.getBuiltinModule('node:net')
