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

/** The answer to the sign-in redirect; `error` is the `error` parameter the IdP sent, if any. */
export function callbackPage(error: string | null): string {
  if (error === null) {
    return page(
      'Latchkey',
      '<h1>Latchkey</h1><p>You can close this tab and return to Latchkey.</p>',
    )
  }
  const code = error.slice(0, 100)
  return page(
    'Sign-in did not complete - Latchkey',
    '<h1>Sign-in did not complete</h1>' +
      `<p>The sign-in server answered: <code>${escapeHtml(code)}</code>.</p>` +
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
