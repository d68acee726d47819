/**
 * HBP v2.7.1's settings as Synmetrix deploys it (synmetrix/synmetrix .env and its hasura-backend-plus
 * container): HS256 under the `hasura` claims namespace, 10800-minute JWTs, auto-activation and magic
 * links on, lost password off, change email direct (VERIFY_EMAILS unset), MFA on (HBP's default), and
 * the production rate limiter with HBP's defaults (1000 requests per 15 minutes).
 */
import type { HbpSettings } from './types.ts'

export const SYNMETRIX_SETTINGS: Readonly<HbpSettings> = {
  jwtExpiresInMinutes: 10800,
  refreshExpiresInMinutes: 43200,
  claimsNamespace: 'hasura',
  jwtAlgorithm: 'HS256',
  jwtKey: 'synmetrix-emulator-hs256-key-not-for-production-use-0123456789',
  autoActivateNewUsers: true,
  verifyEmails: false,
  magicLinkEnabled: true,
  anonymousUsersEnabled: false,
  emailsEnabled: true,
  lostPasswordEnabled: false,
  changeEmailEnabled: true,
  mfaEnabled: true,
  minPasswordLength: 6,
  defaultUserRole: 'user',
  defaultAllowedUserRoles: ['user'],
  allowedUserRoles: ['user'],
  otpIssuer: 'HBP',
  redirectUrlSuccess: null,
  redirectUrlError: null,
  rateLimit: { max: 1000, windowMs: 15 * 60 * 1000 },
}

/** HBP's own default namespace (what most deployments other than Synmetrix use). */
export const DEFAULT_CLAIMS_NAMESPACE = 'https://hasura.io/jwt/claims'
