/**
 * The small part of `oidc-provider` (which ships no types) that the local OpenID Connect server
 * uses. Configuration stays loosely typed: the library validates it at construction.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export type AdapterPayload = Record<string, unknown> & {
    accountId?: string
    grantId?: string
    uid?: string
    userCode?: string
    consumed?: unknown
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>
    find(id: string): Promise<AdapterPayload | undefined>
    findByUid(uid: string): Promise<AdapterPayload | undefined>
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>
    consume(id: string): Promise<void>
    destroy(id: string): Promise<void>
    revokeByGrantId(grantId: string): Promise<void>
  }

  export interface PromptDetails {
    missingOIDCScope?: string[]
    missingOIDCClaims?: string[]
    missingResourceScopes?: Record<string, string[]>
  }

  export interface Interaction {
    uid: string
    prompt: { name: string; reasons: string[]; details: PromptDetails }
    params: Record<string, unknown> & { client_id?: string; scope?: string }
    session?: { accountId: string; uid: string }
    grantId?: string
  }

  export type InteractionResult =
    | { login: { accountId: string; remember?: boolean } }
    | { consent: { grantId?: string } }
    | { error: string; error_description?: string }

  export interface Grant {
    accountId?: string
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    addResourceScope(indicator: string, scope: string): void
    save(): Promise<string>
    destroy(): Promise<void>
  }

  export interface RefreshToken {
    grantId?: string
    consumed?: unknown
    isExpired: boolean
  }

  export interface Account {
    accountId: string
    claims(use: string, scope: string): Promise<Record<string, unknown>>
  }

  export interface KoaContextWithOIDC {
    oidc: { result?: { login?: unknown; consent?: unknown }; session?: { accountId?: string } }
  }

  export interface Check {
    readonly reason: string
  }

  export interface CheckConstructor {
    new (reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>): Check
    readonly REQUEST_PROMPT: true
    readonly NO_NEED_TO_PROMPT: false
  }

  export interface Prompt {
    name: string
    checks: Check[]
  }

  export type Policy = Prompt[] & { get(name: string): Prompt | undefined }

  export const interactionPolicy: {
    base(): Policy
    Check: CheckConstructor
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    readonly issuer: string
    callback(): (request: IncomingMessage, response: ServerResponse) => void
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<Interaction>
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    readonly Grant: {
      new (properties: { accountId: string; clientId: string }): Grant
      find(id: string): Promise<Grant | undefined>
    }
    readonly RefreshToken: { find(value: string): Promise<RefreshToken | undefined> }
    on(event: string, listener: (...args: unknown[]) => void): this
    /** Koa middleware around every request (`ctx.path`, `ctx.body` after `next()`). */
    use(middleware: (ctx: { path: string; body: unknown }, next: () => Promise<void>) => Promise<void>): this
  }

  export default Provider
}
