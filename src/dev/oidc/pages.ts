/**
 * The pages of the local OpenID Connect server: login, consent, sign-out and errors. Plain HTML
 * without scripts; every dynamic value is escaped. Forms carry `data-step` so the fetch-driven
 * browser stand-in (`browser-login.ts`) finds them without guessing.
 */
import { escapeHtml } from '../../main/core/oauth/loopback-pages.ts'

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;' +
  'background:#eef1f5;color:#1d2430}main{background:#fff;padding:2rem;border-radius:12px;width:22rem;' +
  'box-shadow:0 2px 12px rgba(0,0,0,.08)}h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.75rem 0 .25rem}' +
  'input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}button{font:inherit;padding:.5rem 1rem;' +
  'margin-top:1rem;margin-right:.5rem;cursor:pointer}.error{color:#b3261e}.muted{color:#5b6472;font-size:.9rem}' +
  '@media (prefers-color-scheme:dark){body{background:#15181d;color:#e6e8eb}main{background:#20242b}.muted{color:#a3abb8}}'

export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:*",
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
}

export function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><main>${body}</main></body></html>`
  )
}

export function loginPage(options: {
  action: string
  abortAction: string
  login?: string
  error?: string
  hint?: string
}): string {
  const error = options.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(options.error)}</p>`
  return page(
    'Sign in - Latchkey demo identity provider',
    `<h1>Sign in</h1>${error}` +
      `<form method="post" action="${escapeHtml(options.action)}" data-step="login">` +
      `<label for="login">Username</label>` +
      `<input id="login" name="login" autocomplete="username" required autofocus value="${escapeHtml(options.login ?? '')}">` +
      `<label for="password">Password</label>` +
      `<input id="password" name="password" type="password" autocomplete="current-password" required>` +
      `<button type="submit">Sign in</button></form>` +
      `<form method="post" action="${escapeHtml(options.abortAction)}" data-step="abort">` +
      `<button type="submit">Cancel</button></form>` +
      (options.hint === undefined ? '' : `<p class="muted">${escapeHtml(options.hint)}</p>`),
  )
}

export function consentPage(options: {
  action: string
  abortAction: string
  userName: string
  clientName: string
  scopes: string[]
}): string {
  const items = options.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('')
  return page(
    'Allow access - Latchkey demo identity provider',
    `<h1>Allow ${escapeHtml(options.clientName)}?</h1>` +
      `<p>Signed in as <strong>${escapeHtml(options.userName)}</strong>. ${escapeHtml(options.clientName)} asks for:</p>` +
      `<ul>${items}</ul>` +
      `<form method="post" action="${escapeHtml(options.action)}" data-step="consent">` +
      `<button type="submit">Allow</button></form>` +
      `<form method="post" action="${escapeHtml(options.abortAction)}" data-step="deny">` +
      `<button type="submit">Deny</button></form>`,
  )
}

/** oidc-provider's `logoutSource`: `form` is its own hidden form (with an anti-forgery value). */
export function logoutPage(form: string, host: string): string {
  return page(
    'Sign out - Latchkey demo identity provider',
    `<h1>Sign out of ${escapeHtml(host)}?</h1>${form}` +
      `<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>` +
      `<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  )
}

export function signedOutPage(): string {
  return page('Signed out - Latchkey demo identity provider', '<h1>Signed out</h1><p>You can close this tab.</p>')
}

export function errorPage(message: string): string {
  return page('Error - Latchkey demo identity provider', `<h1>Something went wrong</h1><p>${escapeHtml(message)}</p>`)
}
