/**
 * BosBase keeps everything in PostgreSQL (with the pgvector extension, which its first migration
 * enables): one throwaway cluster per test process under .cache/bosbase, and a fresh database in it
 * for each server, named in SASSPB_POSTGRES_URL. Local connections are trusted, so the URL holds no
 * password.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { postgresAvailable, startCluster } from '../../postgres-cluster.ts'
import type { Cluster } from '../../postgres-cluster.ts'

const PGVECTOR_CONTROL = '/usr/share/postgresql/15/extension/vector.control'

/** Why BosBase cannot get its database on this machine, or null when it can. */
export function bosbaseDatabaseUnavailable(): string | null {
  if (!postgresAvailable()) return 'PostgreSQL 15 (postgresql-15 from apt) is not installed'
  if (!existsSync(PGVECTOR_CONTROL)) return `PostgreSQL 15 has no pgvector extension (${PGVECTOR_CONTROL}), which BosBase's first migration enables`
  return null
}

let cluster: Promise<Cluster> | null = null
let made = 0

/** A new, empty database for one BosBase server: its SASSPB_POSTGRES_URL. */
export async function freshBosBaseDatabase(): Promise<string> {
  const unavailable = bosbaseDatabaseUnavailable()
  if (unavailable !== null) throw new Error(`A real BosBase cannot run: ${unavailable}.`)
  cluster ??= startCluster(resolve(import.meta.dirname, '../../../../.cache/bosbase')).then((started) => {
    process.once('exit', () => started.stop())
    return started
  })
  const started = await cluster
  const name = `bosbase_${String(process.pid)}_${String(++made)}`
  started.sql(`CREATE DATABASE ${name};`)
  return `postgres://postgres@127.0.0.1:${String(started.port)}/${name}?sslmode=disable`
}
