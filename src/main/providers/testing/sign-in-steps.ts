/** Test helpers for provider sign-ins: expect a form (by id) or a completed sign-in (and `failure`, for an AppError). */
import { expect } from 'vitest'
import type { FormSignIn, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'

export function expectForm(start: SignInStart | SignedIn | FormSignIn, id?: string): FormSignIn {
  if (!('kind' in start) || start.kind !== 'form') throw new Error(`expected a form, got ${'kind' in start ? start.kind : 'a session'}`)
  if (id !== undefined) expect(start.form.id).toBe(id)
  return start
}

export function expectDone(start: SignInStart | SignedIn | FormSignIn): SignedIn {
  if (!('kind' in start)) return start
  if (start.kind !== 'done') throw new Error(`expected a completed sign-in, got ${start.kind}${start.kind === 'form' ? ` (${start.form.id})` : ''}`)
  return start.signedIn
}

export { failure } from '../test-failure.ts'
