/** For provider tests: the AppError a promise rejects with (fails the test if it resolves or throws anything else). */
import { expect } from 'vitest'
import { AppError } from '../core/errors.ts'

export async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => expect.fail('expected a failure'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}
