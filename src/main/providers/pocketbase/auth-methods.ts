/**
 * Reading a collection's sign-in methods (`GET /api/collections/{c}/auth-methods`). This is also
 * how Latchkey recognises a PocketBase server: anything else (an HTML page, another server's JSON,
 * an OpenID Connect issuer) does not answer this request with this shape.
 */
import { z } from 'zod'
import { AppError } from '../../core/errors.ts'
import type { PocketBaseClient } from './client.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt, isMissingCollection, unreachable } from './errors.ts'

export interface OAuth2ProviderInfo {
  name: string
  displayName: string
  /** Ends with `redirect_uri=`; carries the server's own state and PKCE challenge. */
  authURL: string
  /** The PKCE verifier the server generated for this `authURL`'s challenge. */
  codeVerifier: string
}

export interface AuthMethods {
  password: { enabled: boolean; identityFields: string[] }
  otp: { enabled: boolean; durationSeconds: number }
  mfa: { enabled: boolean; durationSeconds: number }
  oauth2: { enabled: boolean; providers: OAuth2ProviderInfo[] }
}

const feature = z.object({ enabled: z.boolean(), duration: z.number().nonnegative().optional() })
const schema = z.object({
  password: z.object({ enabled: z.boolean(), identityFields: z.array(z.string()).nullish() }),
  otp: feature,
  mfa: feature,
  oauth2: z.object({
    enabled: z.boolean(),
    providers: z
      .array(z.object({ name: z.string().min(1), displayName: z.string().optional(), authURL: z.string().min(1), codeVerifier: z.string().min(1) }))
      .nullish(),
  }),
})

const legacySchema = z.object({ usernamePassword: z.boolean(), emailPassword: z.boolean() })

export async function loadAuthMethods(client: PocketBaseClient, settings: PocketBaseSettings): Promise<AuthMethods> {
  const host = settings.host
  const answer = await attempt(() => client.records.listAuthMethods({ fields: 'mfa,otp,password,oauth2' }))
  if (!answer.ok) {
    const failure = answer.failure
    if (failure.kind === 'unreachable') throw unreachable(host)
    if (isMissingCollection(failure)) {
      throw new AppError('VALIDATION', `${host} has no auth collection named “${settings.collection}”. Check the collection name.`, {
        field: 'collection',
      })
    }
    throw notPocketBase(host)
  }
  const parsed = schema.safeParse(answer.value)
  if (!parsed.success) throw (await isBeforeV023(client)) ? tooOld(host) : notPocketBase(host)
  const { password, otp, mfa, oauth2 } = parsed.data
  const providers = oauth2.enabled ? (oauth2.providers ?? []) : []
  return {
    password: { enabled: password.enabled, identityFields: password.identityFields ?? ['email'] },
    otp: { enabled: otp.enabled, durationSeconds: otp.duration ?? 0 },
    mfa: { enabled: mfa.enabled, durationSeconds: mfa.duration ?? 0 },
    oauth2: {
      enabled: oauth2.enabled && providers.length > 0,
      providers: providers.map((provider) => ({
        name: provider.name,
        displayName: provider.displayName !== undefined && provider.displayName !== '' ? provider.displayName : provider.name,
        authURL: provider.authURL,
        codeVerifier: provider.codeVerifier,
      })),
    },
  }
}

/**
 * PocketBase before 0.23 had none of these methods: its auth-methods answered
 * `{authProviders, usernamePassword, emailPassword, onlyVerified}`, and its `?fields=` picker made
 * that `{}` for the fields asked for above. Asked again without them, it shows which it is.
 */
async function isBeforeV023(client: PocketBaseClient): Promise<boolean> {
  // The SDK asks for those fields unless told otherwise.
  const answer = await attempt(() => client.records.listAuthMethods({ fields: undefined }))
  if (!answer.ok) return false
  const value: unknown = answer.value
  return legacySchema.safeParse(value).success && !schema.safeParse(value).success
}

function tooOld(host: string): AppError {
  return new AppError(
    'UNSUPPORTED',
    `${host} runs a PocketBase older than 0.23, whose sign-in Latchkey does not support (no email codes, MFA or the newer OAuth2). Ask its administrator to upgrade it.`,
  )
}

function notPocketBase(host: string): AppError {
  return new AppError(
    'DISCOVERY_FAILED',
    `${host} does not look like a PocketBase server: it did not answer like one. Check the server address (the base address, such as https://pb.example.com).`,
  )
}
