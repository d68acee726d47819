/** The Authing backend's settings: validation of what the person typed, and typed reading. */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { isPortText, optionalInput, parsedInput, serverUrlInput } from '../config-input.ts'
import { DEFAULT_REDIRECT_PATH, type AuthingSettings } from './settings.ts'

export { authingBackendName, DEFAULT_REDIRECT_PATH, readSettings, type AuthingSettings } from './settings.ts'

const ID = /^[A-Za-z0-9_-]{1,64}$/

const schema = z.object({
  appHost: serverUrlInput({ noun: 'app host', example: 'https://my-app.authing.cn' }, 'Enter the app host.'),
  userPoolId: z.string({ error: 'Enter the user pool ID.' }).trim().regex(ID, 'Enter the user pool ID from the Authing console (letters and digits).'),
  appId: z.string({ error: 'Enter the app ID.' }).trim().regex(ID, 'Enter the app ID from the Authing console (letters and digits).'),
  oidcClientId: optionalInput.refine((value) => value === undefined || ID.test(value), 'The client ID has only letters, digits, - and _.'),
  redirectPort: optionalInput.refine(
    (value) => value === undefined || isPortText(value, 1024),
    'Enter the port of the registered callback URL (1024–65535), or leave it empty to sign in without the browser.',
  ),
  redirectPath: optionalInput.refine((value) => value === undefined || /^\/[\w\-./~]*$/.test(value), 'The callback path must start with / (for example /callback).'),
})

/** Validates what the person typed; throws AppError('VALIDATION', …, { field }) on the first problem. */
export function parseAuthingConfig(input: BackendConfigInput): BackendConfig {
  const value = parsedInput(schema, input)
  const config: Record<string, string> = {
    appHost: new URL(value.appHost).href.replace(/\/+$/, ''),
    userPoolId: value.userPoolId,
    appId: value.appId,
    redirectPath: value.redirectPath ?? DEFAULT_REDIRECT_PATH,
  }
  if (value.oidcClientId !== undefined) config.oidcClientId = value.oidcClientId
  if (value.redirectPort !== undefined) config.redirectPort = String(Number(value.redirectPort))
  return config
}

/** The loopback callback exactly as it must be registered in the Authing console (登录回调 URL). */
export function registeredRedirect(settings: AuthingSettings): string | null {
  return settings.redirectPort === null ? null : `http://127.0.0.1:${String(settings.redirectPort)}${settings.redirectPath}`
}
