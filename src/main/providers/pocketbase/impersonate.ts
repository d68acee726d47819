/**
 * A superuser's impersonation: a token for another record, minted by the server. It is static
 * (never renewed) and ends after the chosen duration; the result is a new account whose
 * configuration remembers who impersonated, so it cannot be "signed in again" by itself.
 */
import { AppError } from '../../core/errors.ts'
import type { ActionResult } from '../../core/provider.ts'
import type { ActionInput } from './action-support.ts'
import { actionError, ended, endedSession, text } from './action-support.ts'
import { DEFAULT_IMPERSONATION_SECONDS } from './action-forms.ts'
import { DEFAULT_REQUEST_TIMEOUT_MS, pocketBaseFetch } from './client.ts'
import { collectionNameProblem, DEFAULT_COLLECTION, impersonationConfig } from './config.ts'
import { attempt, isMissingCollection } from './errors.ts'
import { signedInFrom } from './record.ts'

export async function impersonate(input: ActionInput): Promise<ActionResult> {
  const { account, settings, client, values, ctx } = input
  const typedId = text(values, 'userId')
  const idField = typedId === '' ? 'user' : 'userId'
  const id = typedId === '' ? text(values, 'user') : typedId
  if (id === '') throw new AppError('VALIDATION', 'Choose a user, or type the record id of the one to impersonate.', { field: 'user' })
  const durationText = text(values, 'duration')
  if (durationText !== '' && !/^\d{1,9}$/.test(durationText)) {
    throw new AppError('VALIDATION', 'Enter the duration in whole seconds (0 = the collection’s own).', { field: 'duration' })
  }
  const duration = durationText === '' ? DEFAULT_IMPERSONATION_SECONDS : Number(durationText)
  const collection = text(values, 'collection') || DEFAULT_COLLECTION
  const collectionProblem = collectionNameProblem(collection)
  if (collectionProblem !== null) throw new AppError('VALIDATION', collectionProblem, { field: 'collection' })

  // The SDK sends this request from the new client it returns, not from ours (so not through our
  // beforeSend): it is given the backends' fetch and deadline here, and `requestKey: null` keeps
  // that client's auto-cancellation out of it.
  const answer = await attempt(() =>
    client.pb.collection(collection).impersonate(id, duration, { requestKey: null, fetch: pocketBaseFetch(DEFAULT_REQUEST_TIMEOUT_MS) }),
  )
  if (!answer.ok) {
    const failure = answer.failure
    if (endedSession(failure)) return ended(settings, 'Nobody was impersonated.')
    if (isMissingCollection(failure)) {
      throw new AppError('VALIDATION', `${settings.host} has no auth collection named “${collection}”.`, { field: 'collection' })
    }
    if (failure.kind === 'http' && failure.status === 404) {
      throw new AppError('VALIDATION', `There is no record with id “${id}” in “${collection}”.`, { field: idField })
    }
    throw actionError(failure, settings, ctx.clock.now(), { duration: 'duration' })
  }
  const impersonated = answer.value.authStore
  const signedIn = signedInFrom(impersonated.token, impersonated.record, ctx.clock.now(), settings.host)
  // The server never renews an impersonation token, whatever it says about itself.
  signedIn.session.isStatic = true
  const superuser = account.identity.email ?? account.label
  const who = signedIn.identity.email ?? signedIn.identity.subject
  ctx.logger.info('pocketbase.action.impersonated', { host: settings.host, collection, durationSeconds: duration })
  return {
    message: `Added ${who}, impersonated${duration === 0 ? '' : ` for ${String(duration)} seconds`}.`,
    created: {
      signedIn,
      label: `${who} (impersonated by ${superuser})`,
      config: impersonationConfig(settings, collection, superuser),
    },
  }
}
