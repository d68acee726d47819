/**
 * The packaged app, as the installers ship it: its fuses read back from the binary, RunAsNode and
 * --inspect refused, and its window with window.latchkey. Runs where the installers have been built
 * (`npx electron-builder --config electron-builder.config.mjs`, which needs the Electron runtime)
 * and LATCHKEY_PACKAGED_APP names the unpacked app folder electron-builder made; elsewhere each
 * test is skipped with the reason printed.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import type { Readable } from 'node:stream'
import { join, resolve } from 'node:path'
import { FuseState, getCurrentFuseWire } from '@electron/fuses'
import { chromium, expect, test, type Browser, type Page } from '@playwright/test'
import { LATCHKEY_FUSES } from '../../scripts/packaging/fuses.mjs'
import { executableIn } from '../../scripts/packaging/packaged-app.mjs'
import { freePort } from '../../src/dev/free-port.ts'

const appDir = process.env.LATCHKEY_PACKAGED_APP ? resolve(process.env.LATCHKEY_PACKAGED_APP) : null
const executable = appDir ? executableIn(appDir, process.platform) : null
const skipReason = !appDir
  ? 'no packaged app (set LATCHKEY_PACKAGED_APP to the unpacked folder electron-builder made; building it needs the Electron runtime)'
  : executable && !existsSync(executable)
    ? `no executable at ${executable}`
    : null

test.beforeAll(() => {
  if (skipReason) console.log(`Packaged-app suite skipped: ${skipReason}.`)
})

function launch(args: string[], env: Record<string, string> = {}): { child: ChildProcessByStdio<null, Readable, Readable>; output: () => string } {
  const child = spawn(executable ?? '', args, {
    env: { ...process.env, LATCHKEY_DATA_DIR: mkdtempSync(join(tmpdir(), 'lk-packaged-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return { child, output: () => output }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit))
  child.kill()
  await exited
}

/** The app's Chromium over CDP, once it listens. */
async function connectWithin(endpoint: string, timeoutMs: number): Promise<Browser> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await chromium.connectOverCDP(endpoint)
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((wait) => setTimeout(wait, 500))
    }
  }
}

test('the packaged binary carries every fuse Latchkey sets', async () => {
  test.skip(skipReason !== null, skipReason ?? '')
  const wire: Record<number, FuseState | undefined> = await getCurrentFuseWire(executable ?? '')
  for (const [fuse, enabled] of Object.entries(LATCHKEY_FUSES)) {
    expect(wire[Number(fuse)], `fuse ${fuse}`).toBe(enabled ? FuseState.ENABLE : FuseState.DISABLE)
  }
})

test('the packaged app does not run as Node.js and does not open a debugger', async () => {
  test.skip(skipReason !== null, skipReason ?? '')
  const asNode = launch(['-e', 'process.stdout.write("ran-as-node:" + process.version)'], { ELECTRON_RUN_AS_NODE: '1' })
  const inspect = launch(['--inspect=0', '--inspect-brk=0'])
  await new Promise((wait) => setTimeout(wait, 8000))
  await Promise.all([stop(asNode.child), stop(inspect.child)])
  expect(asNode.output()).not.toContain('ran-as-node:')
  expect(inspect.output()).not.toContain('Debugger listening')
})

test('the packaged app opens its window with window.latchkey and secure defaults', async () => {
  test.skip(skipReason !== null, skipReason ?? '')
  const port = await freePort()
  const app = launch([`--remote-debugging-port=${String(port)}`])
  try {
    const browser = await connectWithin(`http://127.0.0.1:${String(port)}`, 30_000)
    const isApp = (candidate: Page): boolean => candidate.url().startsWith('app://latchkey/')
    const pages = (): Page[] => browser.contexts().flatMap((context) => context.pages())
    await expect.poll(() => pages().some(isApp), { timeout: 30_000 }).toBe(true)
    const page = pages().find(isApp) as Page
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible()
    const seen = await page.evaluate(() => ({
      api: typeof (window as unknown as { latchkey?: object }).latchkey,
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }))
    expect(seen).toEqual({ api: 'object', require: 'undefined', process: 'undefined' })
    await browser.close()
  } finally {
    await stop(app.child)
  }
})

/** Runs the packaged binary as the `latchkey` command, as /usr/bin/latchkey does, and waits for it to end. */
async function command(args: string[]): Promise<{ code: number | null; output: string }> {
  const run = launch(['--latchkey-cli', ...args], { DBUS_SESSION_BUS_ADDRESS: '' })
  const code = await new Promise<number | null>((resolveExit) => run.child.once('exit', resolveExit))
  return { code, output: run.output() }
}

test('the packaged binary is the latchkey command, with no Node.js and RunAsNode off', async () => {
  test.skip(skipReason !== null, skipReason ?? '')
  // A fresh data folder: no accounts, no running app.
  const listed = await command(['accounts', '--json'])
  expect(listed.code).toBe(0)
  expect(JSON.parse(listed.output.trim())).toEqual([])
  const token = await command(['token'])
  expect(token.code).toBe(3)
  expect(token.output).toContain('no active account')
})
