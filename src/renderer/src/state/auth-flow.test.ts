import { describe, expect, it } from 'vitest'
import type { AuthProgress, AuthStep, FormSpec, Result } from '../../../shared/contract.ts'
import { FakeApi, failWith, succeed } from '../testing/fake-api.ts'
import { PASSWORD_FORM, account, codeForm } from '../testing/fixtures.ts'
import { AuthFlow, type FlowEnd } from './auth-flow.svelte.ts'

const formStep = (form: FormSpec, attemptId = 'pb-1'): Promise<Result<AuthStep>> => succeed({ kind: 'form', attemptId, form })

/** Lets pending promises settle. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

function start(fake: FakeApi): { flow: AuthFlow; ended: Promise<FlowEnd> } {
  const flow = new AuthFlow(fake.api, () => [])
  const ended = flow.run(() => formStep(PASSWORD_FORM), 'pb.example.test')
  return { flow, ended }
}

describe('AuthFlow with form steps', () => {
  it('stays at the same form after a refused answer, then goes on through another form and the browser to done', async () => {
    const fake = new FakeApi()
    const answers: Result<AuthStep>[] = [
      { ok: false, error: { code: 'AUTH_FAILED', message: 'The email or password is wrong.' } },
      { ok: true, value: { kind: 'form', attemptId: 'pb-1', form: codeForm() } },
      { ok: true, value: { kind: 'browser', attemptId: 'pb-1', host: 'pb.example.test', expiresAt: new Date(Date.now() + 60_000).toISOString(), url: 'https://id.example.test/authorize?state=s', redirectUri: 'http://127.0.0.1:50000/callback', openFailure: null } },
    ]
    fake.override('authContinue', () => Promise.resolve(answers.shift() ?? { ok: false, error: { code: 'INTERNAL', message: 'no more' } }))
    const { flow, ended } = start(fake)
    await settle()
    expect(flow.formStep?.form.id).toBe('password')
    const first = flow.formStep

    expect(await flow.answer('sign-in', { email: 'alice@example.test', password: 'wrong' })).toBe(false)
    expect(flow.formStep).toBe(first)
    expect(flow.formError).toEqual({ code: 'AUTH_FAILED', message: 'The email or password is wrong.' })
    expect(flow.busy).toBe(true)

    expect(await flow.answer('sign-in', { email: 'alice@example.test', password: 'wonderland' })).toBe(true)
    await settle()
    expect(flow.formStep?.form.id).toBe('otp')
    expect(flow.answering).toBe(false)
    expect(flow.formError).toBeNull()

    expect(await flow.answer('verify', { code: '123456' })).toBe(true)
    await settle()
    expect(flow.formStep).toBeNull()
    expect(flow.browserStep?.host).toBe('pb.example.test')
    await settle()
    expect(fake.callsOf('authComplete')).toEqual([{ attemptId: 'pb-1' }])

    const alice = account({ id: 'pb-alice', label: 'Alice', provider: 'pocketbase' })
    fake.finishSignIn('pb-1', alice)
    expect(await ended).toEqual({ kind: 'done', account: alice })
    expect(flow.busy).toBe(false)
    expect(fake.callsOf('authContinue')).toEqual([
      { attemptId: 'pb-1', action: 'sign-in', values: { email: 'alice@example.test', password: 'wrong' } },
      { attemptId: 'pb-1', action: 'sign-in', values: { email: 'alice@example.test', password: 'wonderland' } },
      { attemptId: 'pb-1', action: 'verify', values: { code: '123456' } },
    ])
  })

  it('drops "Signed in; finishing up…" when the answer is refused after all, and keeps the earlier progress', async () => {
    const fake = new FakeApi()
    const progress: AuthProgress[] = [{ attemptId: 'pb-1', stage: 'waiting-browser', message: 'Reading sign-in methods…' }]
    fake.override('authContinue', () => {
      progress.push({ attemptId: 'pb-1', stage: 'exchanging', message: 'Signed in; finishing up…' })
      return failWith('AUTH_FAILED', 'You signed in as bob@example.test, but this account belongs to alice@example.test.')
    })
    const flow = new AuthFlow(fake.api, () => progress)
    void flow.run(() => formStep(PASSWORD_FORM), 'pb.example.test')
    await settle()
    expect(await flow.answer('sign-in', { email: 'bob@example.test', password: 'x' })).toBe(false)
    expect(flow.formError?.message).toMatch(/^You signed in as bob/)
    expect(flow.messages.map((entry) => entry.message)).toEqual(['Reading sign-in methods…'])
    await flow.cancel()
  })

  it('ends the attempt when the answer says it is over (NOT_FOUND), or was cancelled (AUTH_CANCELLED)', async () => {
    const fake = new FakeApi()
    fake.override('authContinue', () => failWith('NOT_FOUND', 'That sign-in has ended. Start again.'))
    const gone = start(fake)
    await settle()
    expect(await gone.flow.answer('sign-in', { email: 'a@example.test', password: 'x' })).toBe(false)
    expect(await gone.ended).toEqual({ kind: 'failed', error: { code: 'NOT_FOUND', message: 'That sign-in has ended. Start again.' } })

    fake.override('authContinue', () => failWith('AUTH_CANCELLED', 'Cancelled.'))
    const cancelled = start(fake)
    await settle()
    await cancelled.flow.answer('sign-in', { email: 'a@example.test', password: 'x' })
    expect(await cancelled.ended).toEqual({ kind: 'cancelled' })
    expect(cancelled.flow.note).toBe('Sign-in cancelled. Nothing was saved.')
  })

  it('cancels at a form step through auth:cancel, even while an answer is on its way', async () => {
    const fake = new FakeApi()
    let answer = (): void => {}
    fake.override(
      'authContinue',
      () => new Promise<Result<AuthStep>>((resolve) => (answer = () => resolve({ ok: true, value: { kind: 'form', attemptId: 'pb-1', form: codeForm() } }))),
    )
    const { flow, ended } = start(fake)
    await settle()
    const answering = flow.answer('sign-in', { email: 'a@example.test', password: 'x' })
    expect(flow.answering).toBe(true)
    await flow.cancel()
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'pb-1' }])
    expect(await ended).toEqual({ kind: 'cancelled' })
    answer()
    expect(await answering).toBe(false)
    expect(flow.step).toBeNull()
    expect(flow.answering).toBe(false)
  })

  it('keeps the form when cancelling fails, and says why', async () => {
    const fake = new FakeApi()
    fake.override('authCancel', () => failWith('INTERNAL', 'Could not cancel.'))
    const { flow } = start(fake)
    await settle()
    await flow.cancel()
    expect(flow.formStep?.form.id).toBe('password')
    expect(flow.cancelError?.message).toBe('Could not cancel.')
  })

  it('cancels a form step that arrives after the attempt was cancelled while starting', async () => {
    const fake = new FakeApi()
    let release = (): void => {}
    const flow = new AuthFlow(fake.api, () => [])
    const ended = flow.run(
      () => new Promise<Result<AuthStep>>((resolve) => (release = () => resolve({ ok: true, value: { kind: 'form', attemptId: 'late-1', form: PASSWORD_FORM } }))),
      'pb.example.test',
    )
    await flow.cancel()
    expect(await ended).toEqual({ kind: 'cancelled' })
    release()
    await settle()
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'late-1' }])
  })
})
