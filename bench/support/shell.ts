/** Starts the bundled browser shell (out/web/cli.js) on a data folder and finds its address. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { urlInLaunchPage } from '../../e2e/support/shell-process.ts'
import { performance } from 'node:perf_hooks'

export const ROOT = resolve(import.meta.dirname, '../..')

export interface RunningShell {
  child: ChildProcess
  url: string
  /** performance.now() when the process was spawned. */
  spawnedAt: number
  /** performance.now() when it printed its address (the browser can be sent to it from then on). */
  addressAt: number
  stop(): Promise<void>
}

export async function startBundledShell(dataDir: string, env: Record<string, string>): Promise<RunningShell> {
  const spawnedAt = performance.now()
  const child = spawn(process.execPath, [resolve(ROOT, 'out/web/cli.js'), '--no-open', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await addressOf(child)
  return { child, spawnedAt, addressAt: performance.now(), url, stop: () => stopChild(child) }
}

/** A trivial Node server with a blank page: the baseline a start-up is compared with. */
export async function startBlankServer(): Promise<RunningShell> {
  return startTrivialServer(`require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/html' }); s.end('<!doctype html><title>blank</title><p data-app-state="ready">blank</p>') })`)
}

/**
 * The same trivial server with another page: the file at `pagePath`, read once before it listens
 * (a copy of the app's first frame, as a page that needs no script; see renderer.ts).
 */
export async function startStaticPageServer(pagePath: string): Promise<RunningShell> {
  return startTrivialServer(`const page = require('node:fs').readFileSync(process.env.PAGE_FILE); require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); s.end(page) })`, { PAGE_FILE: pagePath })
}

/** `node -e` with `server` (an expression giving an http.Server) listening on a free loopback port, and its address. */
async function startTrivialServer(server: string, env: Record<string, string> = {}): Promise<RunningShell> {
  const spawnedAt = performance.now()
  const script = `${server}.listen(0, '127.0.0.1', function () { console.log('running in your browser at http://127.0.0.1:' + this.address().port + '/') })`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  const url = await addressOf(child)
  return { child, spawnedAt, addressAt: performance.now(), url, stop: () => stopChild(child) }
}

function addressOf(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const launch = /open this file in your browser: (\S+)/.exec(output)
      if (launch?.[1]) resolvePromise(urlInLaunchPage(launch[1]))
      const match = /running in your browser at (\S+)/.exec(output)
      if (match?.[1]) resolvePromise(match[1])
    })
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`exited (${String(code)}): ${output}`)))
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolvePromise) => {
    child.once('exit', () => resolvePromise())
    child.kill('SIGTERM')
  })
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))
  return Number(match?.[1] ?? Number.NaN) / 1024
}

/** CPU time the process's main thread has used so far, in ms (Linux: /proc/<pid>/schedstat). */
export function mainThreadCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  try {
    return Number(readFileSync(`/proc/${String(pid)}/schedstat`, 'utf8').split(' ')[0]) / 1e6
  } catch {
    return Number.NaN
  }
}
