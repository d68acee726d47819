/**
 * What the app allows, from GET /api/v2/applications/:appId/public-config (the document Authing's
 * own login page, Guard, draws its tabs from): loginTabs, passwordTabConfig.enabledLoginMethods,
 * verifyCodeTabConfig.enabledLoginMethods, registerTabs.
 */
import { AppError } from '../../core/errors.ts'
import type { AuthingClient } from './client.ts'
import type { AuthingSettings } from './config.ts'
import { authingError } from './errors.ts'

export interface AppConfig {
  name: string
  /** email-password, username-password, phone-password. */
  password: Set<string>
  /** phone-code, email-code. */
  codes: Set<string>
  /** email, username, phone. */
  register: Set<string>
}

export async function loadAppConfig(client: AuthingClient, settings: AuthingSettings): Promise<AppConfig> {
  const answer = await client.rest<Record<string, unknown>>('GET', `/api/v2/applications/${encodeURIComponent(settings.appId)}/public-config`)
  if (!answer.ok) {
    const error = authingError(answer.failure, settings.host)
    if (answer.failure.kind === 'http' && answer.failure.status === 404) {
      throw new AppError('DISCOVERY_FAILED', `${settings.host} does not look like an Authing app host (no public-config). Check the app host.`)
    }
    throw error
  }
  const data = answer.value
  const tabs = list(data.loginTabs)
  const password = tabs.includes('password') ? list(data.passwordTabConfig, 'enabledLoginMethods', ['email-password', 'username-password', 'phone-password']) : []
  const codeTab = tabs.includes('phone-code') || tabs.includes('verify-code')
  const codes = codeTab ? list(data.verifyCodeTabConfig, 'enabledLoginMethods', ['phone-code']) : []
  const register = data.registerDisabled === true ? [] : list(data.registerTabs)
  return { name: typeof data.name === 'string' ? data.name : settings.host, password: new Set(password), codes: new Set(codes), register: new Set(register) }
}

function list(value: unknown, key = 'list', fallback: string[] = []): string[] {
  const inner = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return Array.isArray(inner) ? inner.filter((item): item is string => typeof item === 'string') : fallback
}
