/**
 * The account list's first frame as the main process draws it, from a core answering through the
 * same router the page calls: the first page's rows with the active account marked, the answers
 * as data no label can break out of, no token; and no frame (logged without account data) when
 * it cannot be drawn.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { FIRST_ANSWERS_ID, readFirstAnswers } from '../../shared/first-frame.ts'
import type { Latchkey } from '../core/app/latchkey.ts'
import { boot, world, type World } from '../core/testing/harness.ts'
import { fakeSession, signedInAs } from '../core/testing/fake-provider.ts'
import { recordingLogger } from '../core/testing/recording-logger.ts'
import { createHandlers } from '../ipc/handlers/index.ts'
import { createRouter, type Router } from '../ipc/router.ts'
import { schemas } from '../ipc/schemas.ts'
import { drawFirstFrame } from './first-frame.ts'

const NASTY = '</script><img src=x onerror=alert(1)>'
let running: Latchkey | undefined
afterEach(() => running?.dispose())

/** Signs `subject` in with a session holding these tokens. */
async function signIn(w: World, latchkey: Latchkey, subject: string, tokens: { accessToken: string; refreshToken: string }) {
  const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' })
  if (step.kind !== 'browser') throw new Error('expected a browser step')
  w.provider.completeBrowser(signedInAs(subject, fakeSession(w.clock.now(), 3_600_000, tokens)))
  const done = await latchkey.completeSignIn(step.attemptId)
  if (done.kind !== 'done') throw new Error('expected done')
  return done.account
}

async function threeAccounts(): Promise<{ router: Router; activeId: string; w: World }> {
  const w = world()
  const { latchkey } = boot(w)
  running = latchkey
  const first = await signIn(w, latchkey, 'ann', { accessToken: 'secret-access-ann', refreshToken: 'secret-refresh-ann' })
  const second = await signIn(w, latchkey, 'bob', { accessToken: 'secret-access-bob', refreshToken: 'secret-refresh-bob' })
  await signIn(w, latchkey, 'cy', { accessToken: 'secret-access-cy', refreshToken: 'secret-refresh-cy' })
  latchkey.rename(first.id, NASTY)
  latchkey.switchTo(second.id)
  return { router: createRouter(createHandlers(latchkey), schemas, w.logger), activeId: second.id, w }
}

/** The frame's data block read back as the page reads it. */
function answersIn(script: string) {
  const text = new RegExp(`^<script type="application/json" id="${FIRST_ANSWERS_ID}">([\\s\\S]*)</script>$`).exec(script)?.[1] ?? null
  return readFirstAnswers({ getElementById: (id) => (id === FIRST_ANSWERS_ID ? { textContent: text } : null) })
}

describe('the first frame', () => {
  it('holds the first page’s rows, ready, with the active account marked and shown', async () => {
    const { router, activeId, w } = await threeAccounts()
    const frame = await drawFirstFrame(router, w.logger)
    expect(frame).not.toBeNull()
    const markup = frame?.markup ?? ''
    // Drawn, not ready: the app is not running in the page until its script takes the list over.
    expect(markup).toContain('data-app-state="drawn"')
    expect(markup.match(/role="option"/g)).toHaveLength(3)
    const active = /<div role="option"[^>]*aria-selected="true"[^>]*>/.exec(markup)?.[0] ?? ''
    expect(active).toContain(`data-account-id="${activeId}"`)
    expect(active).toContain('class="row svelte-')
    expect(active).toMatch(/class="[^"]*\bshown\b/)
    // The label is text: escaped in the rows, never markup.
    expect(markup).toContain('&lt;/script>&lt;img src=x onerror=alert(1)>')
    expect(markup).not.toContain('<img')
  })

  it('carries its answers as data that no label can end or break out of, and that reads back the same', async () => {
    const { router, w } = await threeAccounts()
    const frame = await drawFirstFrame(router, w.logger)
    const script = frame?.answers ?? ''
    // One element: the label's "</script" does not end it early, nor open an <img>.
    expect(script.match(/<\/script/gi)).toHaveLength(1)
    expect(script).not.toContain('<img')
    expect(script.slice(script.indexOf('>') + 1, -'</script>'.length)).not.toContain('<')
    const answers = answersIn(script)
    expect(answers?.page.ok && answers.page.value.accounts.map((account) => account.label)).toContain(NASTY)
    expect(answers?.appState.ok).toBe(true)
    expect(answers?.backends.ok).toBe(true)
  })

  it('holds no token of a signed-in account', async () => {
    const { router, w } = await threeAccounts()
    const frame = await drawFirstFrame(router, w.logger)
    const page = `${frame?.markup ?? ''}${frame?.answers ?? ''}`
    expect(page).toContain('data-account-id')
    expect(page).not.toMatch(/secret-(access|refresh)/)
  })

  it('is not drawn when an answer fails, and not drawn (logged without account data) when the app cannot be drawn', async () => {
    const { router, w } = await threeAccounts()
    const failing: Router = {
      handle: (channel, args) =>
        channel === 'app:state' ? Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'no' } }) : router.handle(channel, args),
    }
    expect(await drawFirstFrame(failing, w.logger)).toBeNull()
    // An answer the app cannot draw from (a page whose accounts are not accounts).
    const broken: Router = {
      handle: async (channel, args) => {
        const result = await router.handle(channel, args)
        return channel === 'accounts:list' && result.ok ? { ok: true, value: { ...(result.value as object), accounts: [{ label: NASTY }] } } : result
      },
    }
    const logger = recordingLogger()
    expect(await drawFirstFrame(broken, logger)).toBeNull()
    expect(logger.lines.some((line) => line.startsWith('error web.first-frame-failed'))).toBe(true)
    expect(logger.lines.join('\n')).not.toContain('onerror')
  })
})
