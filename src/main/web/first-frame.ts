/**
 * The account list's first frame, drawn by the main process when the page is asked for: the app's
 * own components (App.svelte) rendered to HTML by Svelte's server renderer with the answers to the
 * page's first three calls, worked out by the router that answers those calls. The page then paints
 * the list as it is parsed, before any script; the app hydrates it (see src/renderer/src/main.ts).
 * Both shells use it (the browser shell's server, Electron's app: protocol); nothing here is
 * Electron's. A frame that cannot be drawn is no frame: the page is served as before.
 */
import { render } from 'svelte/server'
import App from '../../renderer/src/App.svelte'
import { createApi } from '../../shared/bridge.ts'
import type { Result } from '../../shared/contract.ts'
import { answersScript, FIRST_PAGE_ARGS, type FirstAnswers } from '../../shared/first-frame.ts'
import type { Logger } from '../core/ports.ts'
import type { Router } from '../ipc/router.ts'
import type { FirstFrame } from './framed-page.ts'

const NOT_HERE: Result<never> = { ok: false, error: { code: 'INTERNAL', message: 'Nothing is called while the first frame is drawn.' } }

/** What the app is given while it is drawn: it calls nothing then (its calls start once mounted). */
const INERT_API = createApi({ invoke: () => Promise.resolve(NOT_HERE), subscribe: () => () => undefined })

/**
 * The first frame with the answers the page would ask for now (accounts change: drawn for each
 * request). Null when any of them fails (the app then asks and reports it as before) or the app
 * cannot be drawn; a failure to draw is logged by its kind and place only, never its message,
 * which could quote an account.
 */
export async function drawFirstFrame(router: Router, logger: Logger): Promise<FirstFrame | null> {
  try {
    const [page, appState, backends] = await Promise.all([
      router.handle('accounts:list', FIRST_PAGE_ARGS),
      router.handle('app:state', undefined),
      router.handle('backends:list', undefined),
    ])
    if (!page.ok || !appState.ok || !backends.ok) return null
    const answers = { page, appState, backends } as FirstAnswers
    const { body } = render(App, { props: { api: INERT_API, first: answers } })
    return { markup: body, answers: answersScript(answers) }
  } catch (error) {
    logger.error('web.first-frame-failed', { kind: error instanceof Error ? error.name : typeof error, at: placeOf(error) })
    return null
  }
}

/** Where an error was thrown: its stack's frames, without the message on its first line. */
function placeOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 6).join('\n') : ''
}
