/**
 * The browser shell's stand-in for the Electron preload: builds the same `window.latchkey` from
 * the contract, over HTTP to the local shell. Written into the page's head by the browser shell
 * (see src/main/web/shell-page.ts), so it runs while the page is parsed, before the app.
 *
 * The per-launch key arrives in the URL fragment (never sent to a server, never logged), is kept
 * in this tab's sessionStorage so a reload keeps working, and is sent as a header on every call.
 */
import { createApi, type Transport } from '../../../shared/bridge.ts'
import type { EventChannel, Result } from '../../../shared/contract.ts'
import { CALLS_PATH, EVENTS_PATH, EVENTS_RETRY_MS, INVOKE_PATH, PAINTED_PATH, SHELL_KEY_HEADER, SHELL_LAUNCH_HEADER } from '../../../shared/web-shell.ts'
import { firstCalls, readFirstAnswers } from '../../../shared/first-frame.ts'
import { pageArgs, readGrouped } from '../state/list-args.ts'
import { whenIdle } from '../when-idle.ts'
import { parseEventStream } from './event-stream.ts'
import { RESTARTED_TITLE, showRestartNotice } from './restart-notice.ts'

const KEY_STORAGE = 'latchkey.shellKey'

/**
 * The key from the launch page's fragment, else this tab's (a reload). One from the fragment is
 * kept in this tab and taken off the address once the app has painted its first page of accounts:
 * both are synchronous calls to the browser that took up to 20 ms on a busy machine, and nothing
 * needs them before a reload.
 */
const fromUrl = new URLSearchParams(location.hash.slice(1)).get('key')
const key = fromUrl || (sessionStorage.getItem(KEY_STORAGE) ?? '')
let keyKept = !fromUrl

function keepKey(): void {
  if (keyKept || !fromUrl) return
  keyKept = true
  sessionStorage.setItem(KEY_STORAGE, fromUrl)
  history.replaceState(null, '', location.pathname + location.search)
}

/** Tells the shell the first page of accounts is drawn: it reads the keychain only then. */
function sayPainted(): void {
  void post(PAINTED_PATH, {}).catch(() => undefined)
}

/** A POST to the shell with this tab's key and `body` as JSON. */
function post(path: string, body: unknown): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', [SHELL_KEY_HEADER]: key }, body: JSON.stringify(body) })
}

/** The app marks its root so once its first answers are in and its list is drawn. */
const APP_READY = '[data-app-state="ready"]'
/** How long to look for it (then the shell's own grace and the timer below take over). */
const READY_WAIT_MS = 3000

/**
 * After the frame in which the app first shows its list, once it has taken `answer`: not merely the
 * frame after the answer came, which may come before the app has drawn anything (it waits for its
 * other first answers too), and would then put the shell's keychain read and the key's move in
 * front of the list. Keeping the key waits for a moment the page is idle. Runs once at most: the
 * early answers go with the app's first call on their channel (see `transport`).
 */
function afterFirstPageDrawn(answer: Promise<unknown>): void {
  const since = performance.now()
  const nextFrame = (callback: () => void): void => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(callback)
    else setTimeout(callback, 16)
  }
  const check = (): void => {
    if (document.querySelector(APP_READY)) {
      setTimeout(() => {
        sayPainted()
        whenIdle(keepKey, 500)
      }, 0)
    } else if (performance.now() - since < READY_WAIT_MS) nextFrame(check)
  }
  void answer.then(() => nextFrame(check))
}
// When the app never takes its first page (it failed to load), a few seconds on.
setTimeout(keepKey, 3000)

// A launch page opened in this very tab, on the same origin, changes only the fragment: no new
// document, so this one would keep the old key. Load afresh, which takes the new one.
window.addEventListener('hashchange', () => {
  if (new URLSearchParams(location.hash.slice(1)).get('key')) location.reload()
})
const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>()
/**
 * Events on a channel the app has not subscribed to yet: the stream opens while the page is parsed,
 * before the app has loaded, and an event then (the keychain found missing, say) must not be lost.
 * Handed over in order to the channel's first listener; a bounded few per channel.
 */
const unheard = new Map<EventChannel, unknown[]>()
const UNHEARD_PER_CHANNEL = 50

function deliver(channel: EventChannel, payload: unknown): void {
  const set = listeners.get(channel)
  if (set) {
    for (const listener of set) listener(payload)
    return
  }
  const waiting = unheard.get(channel) ?? []
  waiting.push(payload)
  if (waiting.length > UNHEARD_PER_CHANNEL) waiting.shift()
  unheard.set(channel, waiting)
}
/** The launch that took this tab's key; once another one answers, the tab is stale for good. */
const launch: { id: string | null; stale: boolean } = { id: null, stale: false }
const STALE: Result<never> = { ok: false, error: { code: 'FORBIDDEN_SENDER', message: `${RESTARTED_TITLE} this tab.` } }

/**
 * A 401 means the shell does not take this tab's key: a new launch (its launch id differs from the
 * one that took the key, or this tab never got in). No retry can fix that, so every call stops and
 * the page says so.
 */
function checkLaunch(response: Response): boolean {
  const answered = response.headers.get(SHELL_LAUNCH_HEADER)
  if (response.status !== 401) {
    launch.id ??= answered
    return true
  }
  if (!launch.stale && (launch.id === null || answered !== launch.id)) {
    launch.stale = true
    // This script runs from the page's head: the body may not be parsed yet.
    if ((document.body as HTMLElement | null) !== null) showRestartNotice()
    else document.addEventListener('DOMContentLoaded', () => showRestartNotice(), { once: true })
  }
  return false
}

const GONE: Result<never> = { ok: false, error: { code: 'NETWORK', message: 'Latchkey is not running any more. Start it again.' } }

/**
 * A POST of `body` to `path` whose answer is read by `read`; `failed` gives what a stale tab (STALE)
 * or a shell that cannot be reached (GONE) answers instead.
 */
async function call<T>(path: string, body: unknown, read: (answer: unknown) => T, failed: (result: Result<never>) => T): Promise<T> {
  if (launch.stale) return failed(STALE)
  try {
    const response = await post(path, body)
    if (!checkLaunch(response)) return failed(STALE)
    return read(await response.json())
  } catch {
    return failed(GONE)
  }
}

function invoke(channel: string, args: unknown): Promise<Result<unknown>> {
  return call(`${INVOKE_PATH}${encodeURIComponent(channel)}`, { args: args ?? null }, (answer) => answer as Result<unknown>, (result) => result)
}

/** Several calls in one request (CALLS_PATH): their results in order, or the failure for each. */
function invokeAll(calls: { channel: string; args: unknown }[]): Promise<Result<unknown>[]> {
  const each = (result: Result<unknown>): Result<unknown>[] => calls.map(() => result)
  const body = { calls: calls.map(({ channel, args }) => ({ channel, args: args ?? null })) }
  return call(
    CALLS_PATH,
    body,
    (answer) => (Array.isArray(answer) && answer.length === calls.length ? (answer as Result<unknown>[]) : each(Array.isArray(answer) ? GONE : (answer as Result<never>))),
    each,
  )
}

async function listen(): Promise<void> {
  while (!launch.stale) {
    try {
      const response = await fetch(EVENTS_PATH, { headers: { [SHELL_KEY_HEADER]: key } })
      if (!checkLaunch(response)) return
      if (!response.ok || !response.body) throw new Error(`events: ${response.status}`)
      for await (const message of parseEventStream(response.body)) deliver(message.event as EventChannel, message.data)
    } catch {
      // The shell restarted or the connection dropped: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, EVENTS_RETRY_MS))
  }
}

/**
 * The app's first calls (app state, backends, the first page of accounts), sent as soon as this
 * script runs instead of once the app's own code has loaded and mounted: the app's first call on a
 * channel with the same arguments takes the answer; the other early answers on that channel are
 * dropped then (never handed to a later call, which could be minutes on), and every later call
 * goes to the shell. They go in one request (CALLS_PATH): one answer for the page to take, while
 * it is busy loading, instead of one per call.
 */
const early = new Map<string, { channel: string; answer: Promise<Result<unknown>> }>()
const callKey = (channel: string, args: unknown): string => `${channel} ${JSON.stringify(args ?? null)}`
function ask(...calls: { channel: string; args: unknown }[]): void {
  const [only] = calls
  const all = calls.length === 1 && only ? invoke(only.channel, only.args).then((result) => [result]) : invokeAll(calls)
  calls.forEach(({ channel, args }, index) => early.set(callKey(channel, args), { channel, answer: all.then((results) => results[index] ?? GONE) }))
}
/**
 * When the shell drew the first frame, it wrote those answers into the page (before this script):
 * nothing is asked then, nor is the grouping choice read (the app asks for a window's grouped list
 * once the frame is painted). The app that takes the drawn frame over starts from them itself; an
 * app mounted afresh instead takes them from here, with no request, until it is ready. Never
 * later: by then they may be old.
 */
const drawn = new Map<string, { channel: string; result: Result<unknown> }>()
const drawnAnswers = readFirstAnswers(document)
function fromDrawn(channel: string, args: unknown): Promise<Result<unknown>> | undefined {
  if (drawn.size === 0) return undefined
  if (document.querySelector(APP_READY)) {
    drawn.clear()
    return undefined
  }
  const result = drawn.get(callKey(channel, args))?.result
  for (const [key, call] of drawn) if (call.channel === channel) drawn.delete(key)
  return result && Promise.resolve(result)
}
if (drawnAnswers) {
  for (const { channel, args, result } of firstCalls(drawnAnswers)) drawn.set(callKey(channel, args), { channel, result })
  afterFirstPageDrawn(Promise.resolve())
} else {
  // The list first, as most windows show it (not grouped by backend), and the app's state, which the
  // app waits for too: the grouping choice is read from storage only after they have gone out (the
  // page's first read of storage is a synchronous call to the browser, which took up to 25 ms on a
  // busy machine). A window that groups asks for that page too, a moment later.
  ask(
    { channel: 'accounts:list', args: pageArgs(0, '', false) },
    { channel: 'app:state', args: undefined },
    { channel: 'backends:list', args: undefined },
  )
  if (readGrouped()) ask({ channel: 'accounts:list', args: pageArgs(0, '', true) })
}

const transport: Transport = {
  invoke(channel, args) {
    const answer = early.get(callKey(channel, args))?.answer ?? fromDrawn(channel, args)
    for (const [key, call] of early) if (call.channel === channel) early.delete(key)
    if (answer && channel === 'accounts:list') afterFirstPageDrawn(answer)
    return answer ?? invoke(channel, args)
  },
  subscribe(channel, listener) {
    let set = listeners.get(channel)
    if (!set) listeners.set(channel, (set = new Set()))
    set.add(listener)
    const waiting = unheard.get(channel)
    if (waiting) {
      unheard.delete(channel)
      queueMicrotask(() => {
        for (const payload of waiting) if (set.has(listener)) listener(payload)
      })
    }
    return () => set.delete(listener)
  },
}

Object.defineProperty(window, 'latchkey', { value: createApi(transport), writable: false, configurable: false })
void listen()
