/**
 * The Node built-in the `latchkey` command uses everywhere, taken without its ES module facade: importing
 * node:fs from an ES module builds its whole export list, and reading its getters loads the file
 * streams and fs/promises (a fifth of the command's time for a token the running app hands out).
 */
export const fs = process.getBuiltinModule('node:fs')
