/**
 * `npm run start:web`: Latchkey's browser shell. Same core and router as the desktop app, served on
 * 127.0.0.1 for machines where Electron cannot run.
 *
 *   node src/main/web/cli.ts [--port N] [--data-dir DIR] [--no-open] [--renderer-dir DIR]
 *
 * Environment: LATCHKEY_DATA_DIR, LATCHKEY_PRESETS (see presets.ts), BROWSER (command that opens URLs).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startCliServer } from '../cli-server/server.ts'
import { cliEndpoint } from '../cli-server/socket-path.ts'
import { acquireTakingOver } from '../cli-server/take-over.ts'
import { jsonLogger } from '../adapters/json-logger.ts'
import { keepRedirectPagesSwept, redirectPagesDir } from '../adapters/redirect-page.ts'
import { systemBrowser } from '../adapters/system-browser.ts'
import type { EventSink } from '../core/app/events.ts'
import type { Latchkey } from '../core/app/latchkey.ts'
import type { Router } from '../ipc/router.ts'
import { releaseStartUpGarbage } from '../garbage-release.ts'
import { keepYoungGenerationSmall } from '../young-generation.ts'
import { defaultDataDir } from './data-dir.ts'
import type { FirstFrame } from './framed-page.ts'
import { lastPort, rememberPort } from './last-port.ts'
import { launchPagePath, writeLaunchPage } from './launch-page.ts'
import { startWebShell } from './server.ts'
import type { ShellApp } from './shell-app.ts'
import { announcingBrowser } from './terminal-browser.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'no-open': { type: 'boolean', default: false },
    'renderer-dir': { type: 'string' },
  },
})

// Run from source (development) or from the bundle in out/web/ (npm start, the end-to-end suite).
const fromSource = import.meta.filename.endsWith('.ts')
const root = resolve(import.meta.dirname, fromSource ? '../../..' : '../..')
const workerPath = fromSource ? join(import.meta.dirname, '../adapters/keychain-worker/worker.ts') : join(import.meta.dirname, 'keychain-worker.js')
const rendererDir = values['renderer-dir'] ?? join(root, 'out/renderer')
if (!existsSync(join(rendererDir, 'web-bridge.js'))) {
  console.error(`Latchkey: the renderer is not built (${rendererDir}). Run "npm run build" first.`)
  process.exit(1)
}
const dataDir = values['data-dir'] ?? defaultDataDir()
mkdirSync(dataDir, { recursive: true, mode: 0o700 })
const lock = await acquireTakingOver(dataDir)
if (!lock.acquired) {
  console.error(`Latchkey is already running with ${dataDir} (process ${String(lock.heldBy)}). Use that one, or pass --data-dir.`)
  process.exit(1)
}
const logger = jsonLogger({ file: join(dataDir, 'logs', 'latchkey.log'), gather: true })
// Forwarding pages a crashed run left behind carry sign-in addresses: gone at start, and kept swept.
keepRedirectPagesSwept(redirectPagesDir(dataDir))
const browser = systemBrowser({ pagesDir: redirectPagesDir(dataDir) })
// Sign-in addresses go to this terminal too (see terminal-browser.ts for why there and not the log).
const announce = (line: string): void => console.log(line)
// The core (most of the shell's code) is loaded once the server listens (see below): the browser
// asks for the page while it loads, and the accounts are read.
const shellBrowser = announcingBrowser(browser, announce)
// V8's young generation is kept small from then on (see young-generation.ts): once the core is
// loaded, so that every built-in module start-up needs was loaded with Node's own code cache.
let startApp = (): void => undefined
const whenApp = new Promise<ShellApp>((resolveApp, rejectApp) => {
  startApp = () =>
    void import('./shell-app.ts').then(({ startShellApp }) => {
      keepYoungGenerationSmall()
      resolveApp(startShellApp({ dataDir, workerPath, browser: shellBrowser, logger }))
    }, rejectApp)
})
const whenComposed = whenApp.then((started) => started.composed)

// The server listens first and serves the page while the accounts are read (in slices, see
// AccountStore.opened); calls and the event stream wait for them.
const current: { composed?: { latchkey: Latchkey; router: Router } } = {}
const sinks = new Set<EventSink>()
// First of all that waits for the accounts: no event can come before the pages are subscribed.
void whenComposed.then((composed) => {
  current.composed = composed
  composed.latchkey.subscribe((event, payload) => {
    for (const sink of sinks) sink(event, payload)
  })
})
let loading: Promise<void> | undefined
// Once the sessions are live, start-up's garbage goes (see garbage-release.ts).
const loadSecrets = (): Promise<void> => (loading ??= whenComposed.then(({ latchkey }) => latchkey.loadSecrets()).finally(releaseStartUpGarbage))
// The keychain is read once the page has drawn its first page of accounts (it says so), with a
// grace when no page comes or one never says it (an earlier page left open, a page that failed).
const GRACE_MS = 3000
let grace = setTimeout(() => void loadSecrets(), GRACE_MS)
const afterFirstPaint = (): void => {
  clearTimeout(grace)
  void loadSecrets()
}
// The account list's first frame is drawn into the page once the accounts are read (the renderer's
// components load then, off the way of the start); a page asked for before is served without one.
let drawFrame: ((router: Router) => Promise<FirstFrame | null>) | undefined
void whenComposed
  .then(() => import('./first-frame.ts'))
  .then(({ drawFirstFrame }) => (drawFrame = (router) => drawFirstFrame(router, logger)))
  .catch((error: unknown) => logger.error('web.first-frame-unavailable', { error: error instanceof Error ? error.message : String(error) }))
const router: Router = {
  async handle(channel, args) {
    const { router: composedRouter } = current.composed ?? (await whenComposed)
    return composedRouter.handle(channel, args)
  },
}

const shell = await startWebShell({
  router,
  onPainted: afterFirstPaint,
  firstFrame: () => (current.composed && drawFrame ? drawFrame(current.composed.router) : Promise.resolve(null)),
  subscribe: (sink) => {
    sinks.add(sink)
    return () => sinks.delete(sink)
  },
  ready: () => whenComposed.then(() => undefined),
  rendererDir,
  logger,
  // --port N, else the port of the last launch (so a tab left open comes back), else any free one.
  ...(Number(values.port) > 0 ? { port: Number(values.port) } : { port: lastPort(dataDir), anyPortIfTaken: true }),
  reopen: () =>
    browser.openFile(launchPagePath(dataDir)).catch((error: unknown) => {
      throw new Error(`Your browser could not be opened (${error instanceof Error ? error.message : String(error)}). Open this file in it: ${launchPagePath(dataDir)}`)
    }),
  snapshot: () =>
    current.composed
      ? [
          { event: 'app:changed', payload: current.composed.latchkey.appState() },
          { event: 'accounts:changed', payload: current.composed.latchkey.listChange() },
        ]
      : [],
  onFirstPage: () => {
    clearTimeout(grace)
    grace = setTimeout(() => void loadSecrets(), GRACE_MS)
  },
})
logger.info('web.started', { origin: shell.origin, dataDir })
rememberPort(dataDir, shell.port)
// The key never goes to stdout (terminal scrollback, journald): only the path of the private page holding it.
const launchPage = writeLaunchPage(dataDir, shell.url)
// Commands (`latchkey token`) are taken from now on and answered once the accounts are read.
const answering = whenApp.then((started) => started.cliHandler({ kind: 'browser', open: () => browser.openFile(launchPage), yieldToApp: () => false }))
const cliServer = await startCliServer(cliEndpoint(dataDir), async (request) => (await answering)(request), logger)
console.log(`Latchkey is running at ${shell.origin}/`)
console.log(`To use it, open this file in your browser: ${launchPage}`)
console.log('(Only you can read that file: it holds the key for this launch. Press Ctrl+C to quit.)')
startApp()
if (!values['no-open']) {
  browser.openFile(launchPage).catch((error: unknown) => {
    console.log(`Your browser could not be opened (${error instanceof Error ? error.message : String(error)}). Open the file above in it.`)
  })
}

const { latchkey } = await whenComposed
// `latchkey` on the command line: questions go to an open page; `latchkey open` opens one.
latchkey.setPromptable(() => shell.pages > 0)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    clearTimeout(grace)
    void Promise.all([latchkey.shutdown(), shell.close(), cliServer.close()]).finally(() => {
      void whenApp.then((started) => started.stopKeychain()).finally(() => process.exit(0))
    })
  })
}
