/**
 * Keycloak (the `org.keycloak:keycloak-quarkus-dist` zip from Maven Central, pinned by version and
 * SHA-256), unpacked once into .cache/keycloak/<version>/ so later runs and CI reuse it, and the
 * Java 21+ it runs on, found as on a developer's machine: JAVA_HOME, then `java` on PATH, then the
 * JDKs under /usr/lib/jvm.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, renameSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export const KEYCLOAK_VERSION = '26.5.6'
export const KEYCLOAK_URL = `https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/${KEYCLOAK_VERSION}/keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`
export const KEYCLOAK_SHA256 = '490189d9dff05272432d51f71a069462eeca97f2920a694d539a1e6c26a5a347'
/** Keycloak 26 runs on Java 21 or later. */
export const MIN_JAVA = 21

export function cacheDir(root = process.cwd()): string {
  return resolve(root, '.cache', 'keycloak', KEYCLOAK_VERSION)
}

/** The unpacked server's folder (with bin/kc.sh), or null when it is not there yet. */
export function cachedDist(root = process.cwd()): string | null {
  const dist = join(cacheDir(root), `keycloak-${KEYCLOAK_VERSION}`)
  return existsSync(join(dist, 'bin', 'kc.sh')) && existsSync(join(dist, 'lib', 'quarkus-run.jar')) ? dist : null
}

export function preparedMarker(root = process.cwd()): string {
  return join(cacheDir(root), 'prepared')
}

/** The unpacked server once it has started here once (prepare.ts), or null. */
export function preparedDist(root = process.cwd()): string | null {
  const dist = cachedDist(root)
  return dist !== null && existsSync(preparedMarker(root)) ? dist : null
}

/** Why no Java can run Keycloak here, or null. */
export function missingJava(): string | null {
  return findJava() === null ? `Java ${String(MIN_JAVA)} or later is not installed (JAVA_HOME, java on PATH, /usr/lib/jvm)` : null
}

export interface Java {
  /** What JAVA_HOME is set to for kc.sh. */
  home: string
  version: number
}

/** The major version `java -version` reports (8 for "1.8.0"), or null when it does not run. */
export function javaVersion(java: string): number | null {
  const ran = spawnSync(java, ['-version'], { encoding: 'utf8' })
  if (ran.status !== 0) return null
  const found = /version "(\d+)(?:\.(\d+))?/.exec(`${ran.stderr}${ran.stdout}`)
  if (found === null) return null
  const major = Number(found[1])
  return major === 1 ? Number(found[2]) : major
}

function onPath(name: string, path = ''): string | null {
  for (const folder of path.split(delimiter)) {
    const candidate = join(folder, name)
    if (folder !== '' && existsSync(candidate)) return candidate
  }
  return null
}

/** The first Java 21+ of JAVA_HOME and `java` on PATH, else the newest JDK under `jvmRoot`; null when none. */
export function findJava(env: NodeJS.ProcessEnv = process.env, jvmRoot = '/usr/lib/jvm'): Java | null {
  const java = onPath('java', env.PATH)
  const chosen = [env.JAVA_HOME, java === null ? undefined : dirname(dirname(realpathSync(java)))]
  for (const home of chosen) {
    if (home === undefined || home === '') continue
    const version = javaVersion(join(home, 'bin', 'java'))
    if (version !== null && version >= MIN_JAVA) return { home, version }
  }
  const installed = existsSync(jvmRoot) ? readdirSync(jvmRoot).map((name) => join(jvmRoot, name)) : []
  const usable = installed.map((home) => ({ home, version: javaVersion(join(home, 'bin', 'java')) ?? 0 })).filter((found) => found.version >= MIN_JAVA)
  return usable.sort((a, b) => b.version - a.version)[0] ?? null
}

/** Downloads, checks and unpacks the pinned zip unless cached; throws saying which step failed. */
export async function ensureDist(root = process.cwd(), log: (line: string) => void = () => {}): Promise<string> {
  const cached = cachedDist(root)
  if (cached !== null) return cached
  const dir = cacheDir(root)
  mkdirSync(dir, { recursive: true })
  const zip = join(dir, 'download.zip')
  log(`downloading Keycloak ${KEYCLOAK_VERSION} (165 MB) from Maven Central`)
  const response = await fetch(KEYCLOAK_URL)
  if (!response.ok || response.body === null) throw new Error(`Maven Central answered HTTP ${String(response.status)} for ${KEYCLOAK_URL}`)
  const hash = createHash('sha256')
  const body = Readable.fromWeb(response.body)
  body.on('data', (chunk: Buffer) => hash.update(chunk))
  await pipeline(body, createWriteStream(zip, { mode: 0o600 }))
  const digest = hash.digest('hex')
  if (digest !== KEYCLOAK_SHA256) {
    rmSync(zip, { force: true })
    throw new Error(`the download of ${KEYCLOAK_URL} has SHA-256 ${digest}, not the pinned ${KEYCLOAK_SHA256}`)
  }
  const unpacking = join(dir, 'unpacking')
  rmSync(unpacking, { recursive: true, force: true })
  const unzip = spawnSync('unzip', ['-q', zip, '-d', unpacking], { encoding: 'utf8' })
  rmSync(zip, { force: true })
  if (unzip.error !== undefined || unzip.status !== 0) {
    rmSync(unpacking, { recursive: true, force: true })
    throw new Error(`unzip failed: ${unzip.error?.message ?? unzip.stderr.trim()}`)
  }
  const dist = join(dir, `keycloak-${KEYCLOAK_VERSION}`)
  rmSync(dist, { recursive: true, force: true })
  renameSync(join(unpacking, `keycloak-${KEYCLOAK_VERSION}`), dist)
  rmSync(unpacking, { recursive: true, force: true })
  return dist
}
