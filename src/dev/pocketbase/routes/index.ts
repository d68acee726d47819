/** Every route the emulator answers. */
import { route } from '../router.ts'
import type { Route } from '../router.ts'
import { authMethods } from './auth-methods.ts'
import { authRefresh } from './auth-refresh.ts'
import { authWithOAuth2 } from './auth-with-oauth2.ts'
import { authWithPassword } from './auth-with-password.ts'
import { confirmEmailChange, requestEmailChange } from './email-change.ts'
import { serveFile } from './files.ts'
import { health } from './health.ts'
import { impersonate } from './impersonate.ts'
import { authWithOtp, requestOtp } from './otp.ts'
import { confirmPasswordReset, requestPasswordReset } from './password-reset.ts'
import { connectRealtime, dashboardPage, oauth2Redirect, setSubscriptions } from './realtime.ts'
import { listRecords, updateRecord, viewRecord } from './records.ts'
import { confirmVerification, requestVerification } from './verification.ts'

const COLLECTION = '/api/collections/{collection}'

export const ROUTES: readonly Route[] = [
  route('GET', '/api/health', health),
  route('GET', `${COLLECTION}/auth-methods`, authMethods),
  route('POST', `${COLLECTION}/auth-refresh`, authRefresh),
  route('POST', `${COLLECTION}/auth-with-password`, authWithPassword),
  route('POST', `${COLLECTION}/auth-with-oauth2`, authWithOAuth2),
  route('POST', `${COLLECTION}/request-otp`, requestOtp),
  route('POST', `${COLLECTION}/auth-with-otp`, authWithOtp),
  route('POST', `${COLLECTION}/request-password-reset`, requestPasswordReset),
  route('POST', `${COLLECTION}/confirm-password-reset`, confirmPasswordReset),
  route('POST', `${COLLECTION}/request-verification`, requestVerification),
  route('POST', `${COLLECTION}/confirm-verification`, confirmVerification),
  route('POST', `${COLLECTION}/request-email-change`, requestEmailChange),
  route('POST', `${COLLECTION}/confirm-email-change`, confirmEmailChange),
  route('POST', `${COLLECTION}/impersonate/{id}`, impersonate),
  route('GET', `${COLLECTION}/records`, listRecords),
  route('GET', `${COLLECTION}/records/{id}`, viewRecord),
  route('PATCH', `${COLLECTION}/records/{id}`, updateRecord),
  route('GET', '/api/files/{collection}/{recordId}/{filename}', serveFile),
  route('GET', '/api/realtime', connectRealtime),
  route('POST', '/api/realtime', setSubscriptions),
  route(['GET', 'POST'], '/api/oauth2-redirect', oauth2Redirect),
  route('GET', '/_/', dashboardPage),
]
