/**
 * Where V8's compile cache lives: the person's own cache folder (never a shared temp folder, since
 * the cache holds code the process runs). Built-ins only, through `process`, so the command line's
 * tiny entry can use it without loading any module.
 */
export function compileCacheDir(): string | undefined {
  const { env, platform } = process
  const home = env.HOME ?? env.USERPROFILE
  if (platform === 'win32') return env.LOCALAPPDATA ? `${env.LOCALAPPDATA}\\Latchkey\\compile-cache` : undefined
  if (platform === 'darwin') return home ? `${home}/Library/Caches/Latchkey/compile-cache` : undefined
  const cache = env.XDG_CACHE_HOME || (home ? `${home}/.cache` : undefined)
  return cache ? `${cache}/latchkey/compile-cache` : undefined
}

/**
 * Turns on V8's compile cache in that folder for what this process loads from now on (absent before
 * Node 22.1; everything works without it, and without a folder it can write, only slower).
 */
export function useCompileCache(): void {
  const { enableCompileCache } = process.getBuiltinModule('node:module')
  ;(enableCompileCache as typeof enableCompileCache | undefined)?.(compileCacheDir())
}
