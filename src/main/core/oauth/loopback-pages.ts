/** The plain pages the loopback receiver shows in the browser tab. Static apart from escaped text. */

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;' +
  'color:#1d2430;background:#f5f6f8}main{max-width:28rem;padding:2rem;text-align:center}' +
  '@media (prefers-color-scheme:dark){body{color:#e6e8eb;background:#15181d}}'

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><main>${body}</main></body></html>`
  )
}

/** One plain sentence for each error code RFC 6749 §4.1.2.1 and OpenID Connect define; never the raw code alone. */
const ERROR_SENTENCES: Record<string, string> = {
  access_denied: 'The sign-in was declined, at your request or by the sign-in server.',
  login_required: 'The sign-in server asked you to sign in, but could not show its sign-in page.',
  consent_required: 'The sign-in server needs your consent, but could not ask for it.',
  interaction_required: 'The sign-in server needs you to do something, but could not ask for it.',
  account_selection_required: 'The sign-in server needs you to choose an account, but could not ask for it.',
  invalid_scope: 'The sign-in server does not allow the access Latchkey asked for.',
  unauthorized_client: 'The sign-in server does not allow Latchkey to sign in this way.',
  unsupported_response_type: 'The sign-in server does not allow Latchkey to sign in this way.',
  invalid_request: 'The sign-in server could not understand the request; check the account settings in Latchkey.',
  server_error: 'The sign-in server ran into a problem of its own.',
  temporarily_unavailable: 'The sign-in server is busy or down for a moment; try again shortly.',
}

/** What the callback page says for the `error` an identity provider sent. */
export function callbackErrorSentence(error: string): string {
  return ERROR_SENTENCES[error] ?? 'The sign-in server stopped the sign-in.'
}

/** The answer to the sign-in redirect; `error` is the `error` parameter the IdP sent, if any. */
export function callbackPage(error: string | null): string {
  if (error === null) {
    return page(
      'Latchkey',
      '<h1>Latchkey</h1><p>You can close this tab and return to Latchkey.</p>',
    )
  }
  return page(
    'Sign-in did not complete - Latchkey',
    '<h1>Sign-in did not complete</h1>' +
      `<p>${escapeHtml(callbackErrorSentence(error))}</p>` +
      '<p>You can close this tab and return to Latchkey.</p>',
  )
}

export function notFoundPage(): string {
  return page('Not found - Latchkey', '<h1>Not found</h1>')
}

/** A request on the callback path that does not belong to the sign-in under way. */
export function strangerPage(): string {
  return page(
    'Not this sign-in - Latchkey',
    '<h1>Not this sign-in</h1><p>This answer does not belong to the sign-in Latchkey is waiting for, so it was ignored.</p>',
  )
}
