import { afterEach, describe, expect, it } from 'vitest'
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../errors.ts'
import type { BrowserSignIn, SignInStart } from '../provider.ts'
import type { SignedIn } from '../sessions/session.ts'
import { fakeSession, formStep, signedInAs } from '../testing/fake-provider.ts'
import { tracked, world, type World } from '../testing/harness.ts'

const { start, stopAll } = tracked()
afterEach(stopAll)

const config = { issuer: 'https://id.example.test' }
const done = (w: World, subject: string): SignInStart => ({ kind: 'done', signedIn: signedInAs(subject, fakeSession(w.clock.now(), 3_600_000)) })

/** A password form: the right code signs in, anything else is "wrong" and the form stays. */
function passwordForm(w: World, next: () => SignInStart = () => done(w, 'alice')) {
  const seen: FormValues[] = []
  const step = formStep('password', (_action, values) => {
    seen.push(values)
    if (values.code !== 'right') return Promise.reject(new AppError('AUTH_FAILED', 'Wrong email or password.'))
    return Promise.resolve(next())
  })
  return { step, seen }
}

describe('sign-in with form steps', () => {
  it('a wrong answer keeps the same form; the right one adds the account', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const { step, seen } = passwordForm(w)
    w.provider.nextStart = step
    const first = await latchkey.beginSignIn('oidc', config)
    expect(first).toMatchObject({ kind: 'form', form: { id: 'password' } })
    if (first.kind !== 'form') throw new Error('expected a form')
    await expect(latchkey.continueSignIn(first.attemptId, 'go', { code: 'wrong' })).rejects.toMatchObject({ code: 'AUTH_FAILED', message: 'Wrong email or password.' })
    expect(latchkey.accounts()).toEqual([])
    const end = await latchkey.continueSignIn(first.attemptId, 'go', { code: 'right' })
    expect(end).toMatchObject({ kind: 'done', account: { status: 'signed-in', active: true, user: { subject: 'alice' } } })
    expect(seen.map((v) => v.code)).toEqual(['wrong', 'right'])
    expect(w.opened).toEqual([])
    // The attempt is over: answering it again finds nothing.
    await expect(latchkey.continueSignIn(first.attemptId, 'go', { code: 'right' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('a second factor is another form of the same attempt', async () => {
    const w = world()
    const { latchkey } = start(w)
    const mfa = formStep('mfa', () => Promise.resolve(done(w, 'grace')))
    const { step } = passwordForm(w, () => mfa)
    w.provider.nextStart = step
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    const second = await latchkey.continueSignIn(first.attemptId, 'go', { code: 'right' })
    expect(second).toMatchObject({ kind: 'form', attemptId: first.attemptId, form: { id: 'mfa' } })
    expect(latchkey.accounts()).toEqual([])
    expect(await latchkey.continueSignIn(first.attemptId, 'go', { code: '123' })).toMatchObject({ kind: 'done', account: { user: { subject: 'grace' } } })
  })

  it('a form can lead to the browser, and the browser to a second-factor form', async () => {
    const w = world()
    const { latchkey } = start(w)
    let finishBrowser: (next: ReturnType<typeof formStep>) => void = () => undefined
    const browser: BrowserSignIn = {
      kind: 'browser',
      url: 'https://id.example.test/oauth2?state=ours',
      expiresAt: w.clock.now() + 300_000,
      result: new Promise((resolve) => (finishBrowser = resolve)),
      cancel: () => undefined,
    }
    w.provider.nextStart = formStep('choose', () => Promise.resolve(browser))
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    const waiting = await latchkey.continueSignIn(first.attemptId, 'go', {})
    expect(waiting).toMatchObject({ kind: 'browser', attemptId: first.attemptId, host: 'id.example.test' })
    expect(w.opened).toEqual(['https://id.example.test/oauth2?state=ours'])
    const completion = latchkey.completeSignIn(first.attemptId)
    finishBrowser(formStep('mfa', () => Promise.resolve(done(w, 'alice'))))
    expect(await completion).toMatchObject({ kind: 'form', form: { id: 'mfa' } })
    expect(await latchkey.continueSignIn(first.attemptId, 'go', { code: '1' })).toMatchObject({ kind: 'done' })
    expect(latchkey.accounts()).toHaveLength(1)
  })

  it('cancelling at a form ends the attempt, releases the step and says so', async () => {
    const w = world()
    const { latchkey, events } = start(w)
    const { step } = passwordForm(w)
    w.provider.nextStart = step
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    latchkey.cancelSignIn(first.attemptId)
    expect(step.cancelled).toBe(true)
    await expect(latchkey.continueSignIn(first.attemptId, 'go', { code: 'right' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(latchkey.accounts()).toEqual([])
    expect(events.filter((e) => e.event === 'auth:progress').map((e) => (e.payload as { stage: string }).stage)).toEqual(['cancelled'])
  })

  it('a sign-in that completes after Cancel adds nothing and its session is signed out again', async () => {
    const w = world()
    const { latchkey } = start(w)
    let answer: (next: SignInStart) => void = () => undefined
    const step = formStep('password', () => new Promise((resolve) => (answer = resolve)))
    w.provider.nextStart = step
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    const answering = latchkey.continueSignIn(first.attemptId, 'go', { code: 'right' })
    latchkey.cancelSignIn(first.attemptId)
    const late = done(w, 'alice')
    answer(late)
    await expect(answering).rejects.toMatchObject({ code: 'AUTH_CANCELLED' })
    expect(latchkey.accounts()).toEqual([])
    expect(w.provider.signedOut).toEqual([late.kind === 'done' ? late.signedIn.session : null])
  })

  it('answers one press at a time', async () => {
    const w = world()
    const { latchkey } = start(w)
    let answer: (next: SignInStart) => void = () => undefined
    w.provider.nextStart = formStep('password', () => new Promise((resolve) => (answer = resolve)))
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    const pressed = latchkey.continueSignIn(first.attemptId, 'go', { code: 'a' })
    await expect(latchkey.continueSignIn(first.attemptId, 'go', { code: 'b' })).rejects.toMatchObject({ code: 'VALIDATION' })
    answer(done(w, 'alice'))
    expect(await pressed).toMatchObject({ kind: 'done' })
  })

  it('a form left unanswered for half an hour is forgotten', async () => {
    const w = world()
    const { latchkey } = start(w)
    const { step } = passwordForm(w)
    w.provider.nextStart = step
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    await w.clock.advance(29 * 60_000)
    expect(step.cancelled).toBe(false)
    await w.clock.advance(2 * 60_000)
    expect(step.cancelled).toBe(true)
    await expect(latchkey.continueSignIn(first.attemptId, 'go', { code: 'right' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('a browser step that finishes before anyone asks still hands over its outcome', async () => {
    const w = world()
    const { latchkey } = start(w)
    const step = await latchkey.beginSignIn('oidc', config)
    if (step.kind !== 'browser') throw new Error('expected a browser step')
    w.provider.completeBrowser(signedInAs('alice', fakeSession(w.clock.now(), 3_600_000)))
    await new Promise((resolve) => setImmediate(resolve))
    expect(await latchkey.completeSignIn(step.attemptId)).toMatchObject({ kind: 'done', account: { user: { subject: 'alice' } } })
  })

  it('a second step the browser led to before anyone asked is handed over as the next form', async () => {
    const w = world()
    const { latchkey } = start(w)
    const browser: BrowserSignIn = {
      kind: 'browser',
      url: 'https://id.example.test/oauth2',
      expiresAt: w.clock.now() + 300_000,
      result: Promise.resolve(formStep('mfa', () => Promise.resolve(done(w, 'alice')))),
      cancel: () => undefined,
    }
    w.provider.nextStart = formStep('choose', () => Promise.resolve(browser))
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    await latchkey.continueSignIn(first.attemptId, 'go', {})
    await new Promise((resolve) => setImmediate(resolve))
    expect(await latchkey.completeSignIn(first.attemptId)).toMatchObject({ kind: 'form', form: { id: 'mfa' } })
    expect(await latchkey.continueSignIn(first.attemptId, 'go', { code: '1' })).toMatchObject({ kind: 'done' })
  })

  it('a browser that will not open from a form keeps the browser step waiting, with the address and the reason', async () => {
    const w = world()
    const { latchkey } = start(w)
    let finish: (signedIn: SignedIn) => void = () => undefined
    const result = new Promise<SignedIn>((resolve) => (finish = resolve))
    const browser: BrowserSignIn = { kind: 'browser', url: 'https://id.example.test/oauth2?state=x', expiresAt: w.clock.now() + 300_000, result, cancel: () => undefined }
    w.provider.nextStart = formStep('choose', () => Promise.resolve(browser))
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    w.openFailure = 'No browser here.'
    const step = await latchkey.continueSignIn(first.attemptId, 'go', {})
    expect(step).toMatchObject({ kind: 'browser', url: 'https://id.example.test/oauth2?state=x', openFailure: 'No browser here.' })
    finish(signedInAs('alice', fakeSession(w.clock.now(), 3_600_000)))
    expect(await latchkey.completeSignIn(first.attemptId)).toMatchObject({ kind: 'done' })
  })

  it('signing in again as someone else from a form says so, and the same form can be answered as the right person', async () => {
    const w = world()
    const { latchkey } = start(w)
    w.provider.nextStart = { kind: 'done', signedIn: signedInAs('alice', fakeSession(w.clock.now(), 3_600_000)) }
    const added = await latchkey.beginSignIn('oidc', config)
    if (added.kind !== 'done') throw new Error('expected done')
    w.provider.nextStart = formStep('password', (_action, values) => Promise.resolve(done(w, typeof values.code === 'string' ? values.code : '')))
    const again = await latchkey.reauth(added.account.id)
    if (again.kind !== 'form') throw new Error('expected a form')
    await expect(latchkey.continueSignIn(again.attemptId, 'go', { code: 'bob' })).rejects.toMatchObject({ code: 'AUTH_FAILED', message: /You signed in as bob/ })
    expect(await latchkey.continueSignIn(again.attemptId, 'go', { code: 'alice' })).toMatchObject({ kind: 'done', account: { id: added.account.id } })
  })

  it('a refused answer that arrives after Cancel ends the attempt', async () => {
    const w = world()
    const { latchkey } = start(w)
    let refuse: (error: AppError) => void = () => undefined
    w.provider.nextStart = formStep('password', () => new Promise((_resolve, reject) => (refuse = reject)))
    const first = await latchkey.beginSignIn('oidc', config)
    if (first.kind !== 'form') throw new Error('expected a form')
    const answering = latchkey.continueSignIn(first.attemptId, 'go', { code: 'x' })
    latchkey.cancelSignIn(first.attemptId)
    refuse(new AppError('AUTH_FAILED', 'Wrong email or password.'))
    await expect(answering).rejects.toMatchObject({ code: 'AUTH_FAILED' })
    await expect(latchkey.continueSignIn(first.attemptId, 'go', { code: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
