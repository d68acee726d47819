/**
 * How Latchkey authenticates to a revocation endpoint (RFC 7009): a method the server advertises in
 * `revocation_endpoint_auth_methods_supported`, including `bearer` (the access token in an
 * `Authorization: Bearer` header), which some servers require of public clients. A public client
 * that finds neither `none` nor `bearer` listed still sends its client_id alone.
 */
import * as oauth from 'oauth4webapi'
import type { Session } from '../../core/sessions/session.ts'
import { clientFor } from './client.ts'
import type { OidcSettings } from './config.ts'

export type RevocationAuth = { method: string; auth: oauth.ClientAuth } | { method: null; advertised: string[] }

/** Methods in the order Latchkey prefers them, for a public and for a confidential client. */
const PUBLIC_ORDER = ['none', 'bearer']
const CONFIDENTIAL_ORDER = ['client_secret_basic', 'client_secret_post', 'bearer', 'none']

export function revocationAuth(settings: OidcSettings, server: oauth.AuthorizationServer, session: Session): RevocationAuth {
  const advertised = server.revocation_endpoint_auth_methods_supported
  // Nothing advertised: authenticate as at the token endpoint.
  if (advertised === undefined || advertised.length === 0) return { method: 'default', auth: clientFor(settings, server).auth }
  const order = settings.clientSecret === null ? PUBLIC_ORDER : CONFIDENTIAL_ORDER
  // A public client has no credential to present: it names itself (RFC 6749 §2.3, RFC 7009 §2.1).
  // Keycloak lists only methods for confidential clients yet takes a public client's client_id;
  // a server that does refuse it answers 401, which sign-out reports as a refusal.
  const method = order.find((candidate) => advertised.includes(candidate)) ?? (settings.clientSecret === null ? 'none' : undefined)
  const secret = settings.clientSecret ?? ''
  switch (method) {
    case 'none':
      return { method, auth: oauth.None() }
    case 'bearer':
      return { method, auth: bearer(session.accessToken) }
    case 'client_secret_basic':
      return { method, auth: oauth.ClientSecretBasic(secret) }
    case 'client_secret_post':
      return { method, auth: oauth.ClientSecretPost(secret) }
    default:
      return { method: null, advertised }
  }
}

/** `Authorization: Bearer <access token>`, with the client named in the body as a public client does. */
function bearer(accessToken: string): oauth.ClientAuth {
  return (_server, client, body, headers) => {
    body.set('client_id', client.client_id)
    headers.set('authorization', `Bearer ${accessToken}`)
  }
}
