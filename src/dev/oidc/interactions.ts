/**
 * The login and consent steps of the local OpenID Connect server, in place of oidc-provider's
 * development-only interactions:
 *   GET  /interaction/:uid          the login or consent page, whichever the prompt asks for
 *   POST /interaction/:uid/login    checks username and password
 *   POST /interaction/:uid/confirm  grants what the client asked for
 *   POST /interaction/:uid/abort    ends the attempt with access_denied (Cancel / Deny)
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Interaction, Provider } from 'oidc-provider'
import type { DemoUser } from './demo-users.ts'
import { consentPage, errorPage, loginPage, PAGE_HEADERS } from './pages.ts'
import { readBodyUpTo } from '../request-body.ts'

export interface InteractionContext {
  provider: Provider
  users: readonly DemoUser[]
  clientNames: Readonly<Record<string, string>>
  /** A server with its own user store (the Authing emulator) checks the login here instead of `users`. */
  authenticate?: (login: string, password: string) => { id: string } | undefined
  /** …and names its users on the consent page. */
  displayName?: (accountId: string) => string | undefined
  /** The line under the login form (default: the demo users and their passwords). */
  hint?: string
}

const ROUTE = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/

export function isInteractionPath(pathname: string): boolean {
  return ROUTE.test(pathname)
}

export async function handleInteraction(request: IncomingMessage, response: ServerResponse, context: InteractionContext): Promise<void> {
  const match = ROUTE.exec(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)
  const uid = match?.[1] ?? ''
  const action = match?.[2]
  try {
    const interaction = await context.provider.interactionDetails(request, response)
    if (interaction.uid !== uid) {
      send(response, 400, errorPage('This sign-in page does not belong to the current sign-in.'))
    } else if (action === undefined) {
      showStep(response, interaction, context)
    } else if (request.method !== 'POST') {
      send(response, 405, errorPage('Method not allowed.'))
    } else if (action === 'login') {
      await login(request, response, interaction, await readForm(request), context)
    } else if (action === 'confirm') {
      await confirm(request, response, interaction, context)
    } else {
      await context.provider.interactionFinished(
        request,
        response,
        { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
        { mergeWithLastSubmission: false },
      )
    }
  } catch (error) {
    const expired = error instanceof Error && error.name === 'SessionNotFound'
    send(
      response,
      expired ? 400 : 500,
      errorPage(expired ? 'This sign-in has expired or was already used. Start again from the app.' : 'The identity provider could not handle this request.'),
    )
  }
}

function showStep(response: ServerResponse, interaction: Interaction, context: InteractionContext, error?: string, login?: string): void {
  const base = `/interaction/${interaction.uid}`
  if (interaction.prompt.name === 'login') {
    const hint = context.hint ?? `Demo users: ${context.users.map((user) => `${user.id} / ${user.password}`).join(', ')}`
    send(response, 200, loginPage({ action: `${base}/login`, abortAction: `${base}/abort`, error, login, hint }))
    return
  }
  const clientId = interaction.params.client_id ?? ''
  const accountId = interaction.session?.accountId ?? ''
  const userName = context.users.find((candidate) => candidate.id === accountId)?.name ?? context.displayName?.(accountId) ?? accountId
  send(
    response,
    200,
    consentPage({
      action: `${base}/confirm`,
      abortAction: `${base}/abort`,
      userName,
      clientName: context.clientNames[clientId] ?? clientId,
      scopes: (interaction.params.scope ?? '').split(' ').filter(Boolean),
    }),
  )
}

async function login(
  request: IncomingMessage,
  response: ServerResponse,
  interaction: Interaction,
  form: URLSearchParams,
  context: InteractionContext,
): Promise<void> {
  const name = form.get('login') ?? ''
  const password = form.get('password') ?? ''
  const user = context.authenticate?.(name, password) ?? context.users.find((candidate) => candidate.id === name && candidate.password === password)
  if (interaction.prompt.name !== 'login' || user === undefined) {
    showStep(response, interaction, context, 'Wrong username or password.', name)
    return
  }
  await context.provider.interactionFinished(request, response, { login: { accountId: user.id } }, { mergeWithLastSubmission: false })
}

async function confirm(request: IncomingMessage, response: ServerResponse, interaction: Interaction, context: InteractionContext): Promise<void> {
  const { provider } = context
  const accountId = interaction.session?.accountId
  const clientId = interaction.params.client_id
  if (interaction.prompt.name !== 'consent' || accountId === undefined || clientId === undefined) {
    send(response, 400, errorPage('There is nothing to allow at this step.'))
    return
  }
  const existing = interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId)
  const grant = existing ?? new provider.Grant({ accountId, clientId })
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = interaction.prompt.details
  if (missingOIDCScope !== undefined) grant.addOIDCScope(missingOIDCScope.join(' '))
  if (missingOIDCClaims !== undefined) grant.addOIDCClaims(missingOIDCClaims)
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '))
  const grantId = await grant.save()
  await provider.interactionFinished(request, response, { consent: existing === undefined ? { grantId } : {} }, { mergeWithLastSubmission: true })
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, PAGE_HEADERS)
  response.end(html)
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const raw = await readBodyUpTo(request, 16_384)
  if (raw === undefined) throw new Error('form too large')
  return new URLSearchParams(raw.toString('utf8'))
}
