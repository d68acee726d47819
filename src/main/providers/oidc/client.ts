/** The OAuth client Latchkey is for one backend: public by default, confidential with a secret. */
import * as oauth from 'oauth4webapi'
import type { OidcSettings } from './config.ts'

export interface OidcClient {
  client: oauth.Client
  auth: oauth.ClientAuth
}

export function clientFor(settings: OidcSettings, server: oauth.AuthorizationServer): OidcClient {
  const client: oauth.Client = { client_id: settings.clientId }
  if (settings.clientSecret === null) return { client, auth: oauth.None() }
  // client_secret_basic is the default when the server does not say (RFC 8414 §2).
  const methods = server.token_endpoint_auth_methods_supported
  const usePost = methods !== undefined && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
  return {
    client,
    auth: usePost ? oauth.ClientSecretPost(settings.clientSecret) : oauth.ClientSecretBasic(settings.clientSecret),
  }
}
