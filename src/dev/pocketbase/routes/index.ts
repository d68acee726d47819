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

// The rate limit tags are those of apis/record_auth.go and apis/record_crud.go.

export const ROUTES: readonly Route[] = [
  route('GET', '/api/health', health),
  route('GET', `${COLLECTION}/auth-methods`, authMethods, ['listAuthMethods']),
  route('POST', `${COLLECTION}/auth-refresh`, authRefresh, ['authRefresh']),
  route('POST', `${COLLECTION}/auth-with-password`, authWithPassword, ['authWithPassword', 'auth']),
  route('POST', `${COLLECTION}/auth-with-oauth2`, authWithOAuth2, ['authWithOAuth2', 'auth']),
  route('POST', `${COLLECTION}/request-otp`, requestOtp, ['requestOTP']),
  route('POST', `${COLLECTION}/auth-with-otp`, authWithOtp, ['authWithOTP', 'auth']),
  route('POST', `${COLLECTION}/request-password-reset`, requestPasswordReset, ['requestPasswordReset']),
  route('POST', `${COLLECTION}/confirm-password-reset`, confirmPasswordReset, ['confirmPasswordReset']),
  route('POST', `${COLLECTION}/request-verification`, requestVerification, ['requestVerification']),
  route('POST', `${COLLECTION}/confirm-verification`, confirmVerification, ['confirmVerification']),
  route('POST', `${COLLECTION}/request-email-change`, requestEmailChange, ['requestEmailChange']),
  route('POST', `${COLLECTION}/confirm-email-change`, confirmEmailChange, ['confirmEmailChange']),
  route('POST', `${COLLECTION}/impersonate/{id}`, impersonate),
  route('GET', `${COLLECTION}/records`, listRecords, ['list']),
  route('GET', `${COLLECTION}/records/{id}`, viewRecord, ['view']),
  route('PATCH', `${COLLECTION}/records/{id}`, updateRecord, ['update']),
  route('GET', '/api/files/{collection}/{recordId}/{filename}', serveFile),
  route('GET', '/api/realtime', connectRealtime),
  route('POST', '/api/realtime', setSubscriptions),
  route(['GET', 'POST'], '/api/oauth2-redirect', oauth2Redirect),
  route('GET', '/_/', dashboardPage),
]
