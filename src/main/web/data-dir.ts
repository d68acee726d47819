import { join } from 'node:path'

/** node:os is taken when needed: the `latchkey` command imports this, and is usually told its folder. */
const homedir = (): string => process.getBuiltinModule('node:os').homedir()

/** Where Latchkey keeps settings and logs when not told otherwise (the same folder as the desktop app). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LATCHKEY_DATA_DIR) return env.LATCHKEY_DATA_DIR
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Latchkey')
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Latchkey')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Latchkey')
}
