/**
 * The first frame the main process draws into the page: the answers to the app's first three calls
 * (the first page of accounts, the app's state, the backends), worked out by the main process when
 * the page is asked for and written into the page as data, so the page draws the list without a
 * call and the app, hydrating what was drawn, starts from the same answers. No runtime imports
 * beyond the contract's own shape, so the bridge, the app and the main process all take it.
 */
import type { AccountListArgs, AccountPage, AppState, BackendDescriptor, Result } from './contract.ts'

/** The id of the page's `<script type="application/json">` element holding the first answers. */
export const FIRST_ANSWERS_ID = 'latchkey-first-answers'

/** Accounts per `accounts:list` call (the switcher's page). */
export const PAGE_SIZE = 50

/** The first page of the list as the app first shows it: no filter, not grouped. */
export const FIRST_PAGE_ARGS: AccountListArgs = { offset: 0, limit: PAGE_SIZE }

export interface FirstAnswers {
  page: Result<AccountPage>
  appState: Result<AppState>
  backends: Result<BackendDescriptor[]>
}

/** The calls the first answers answer, as the app makes them (channel and arguments). */
export function firstCalls(answers: FirstAnswers): { channel: 'accounts:list' | 'app:state' | 'backends:list'; args: unknown; result: Result<unknown> }[] {
  return [
    { channel: 'accounts:list', args: FIRST_PAGE_ARGS, result: answers.page },
    { channel: 'app:state', args: undefined, result: answers.appState },
    { channel: 'backends:list', args: undefined, result: answers.backends },
  ]
}

/**
 * The answers as the text of a `<script type="application/json">` element: every `<` written as
 * `\u003c` (still the same JSON), so no label can close the element or open markup in it.
 */
export function answersScript(answers: FirstAnswers): string {
  const json = JSON.stringify(answers).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
  return `<script type="application/json" id="${FIRST_ANSWERS_ID}">${json}</script>`
}

/** The page's first answers, or null when the page has none (or they cannot be read). */
export function readFirstAnswers(document: { getElementById(id: string): { textContent: string | null } | null }): FirstAnswers | null {
  const text = document.getElementById(FIRST_ANSWERS_ID)?.textContent
  if (!text) return null
  try {
    const answers = JSON.parse(text) as Partial<FirstAnswers> | null
    return answers && typeof answers === 'object' && answers.page && answers.appState && answers.backends ? (answers as FirstAnswers) : null
  } catch {
    return null
  }
}
