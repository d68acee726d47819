/** A sign-in form step whose buttons a handler answers; a button the step does not have is refused. */
import type { FormSpec, FormValues } from '../../shared/contract.ts'
import { AppError } from '../core/errors.ts'
import type { FormSignIn, SignInStart } from '../core/provider.ts'

export function formStep(spec: FormSpec, handle: (action: string, values: FormValues) => Promise<SignInStart | null>, cancel: () => void = () => undefined): FormSignIn {
  return {
    kind: 'form',
    form: spec,
    submit: async (action, values) => {
      const next = await handle(action, values)
      if (next === null) throw new AppError('VALIDATION', 'That button does not belong to this sign-in step.')
      return next
    },
    cancel,
  }
}
