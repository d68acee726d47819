#!/usr/bin/env node
// Stands in for the system browser during end-to-end tests: Latchkey runs $BROWSER with the path of
// a private page that forwards to the URL (never the URL itself), and this reads the page and hands
// the URL to the test, which opens it in a second Playwright page.
import { readFileSync } from 'node:fs'

const [target] = process.argv.slice(2)
const relay = process.env.LATCHKEY_E2E_RELAY
if (!target || !relay) process.exit(2)
if (/^[a-z]+:\/\//i.test(target)) {
  console.error(`browser-relay: got a URL on the command line: ${target}`)
  process.exit(3)
}
const page = readFileSync(target, 'utf8')
const href = /content="0;url=([^"]*)"/.exec(page)?.[1]
if (!href) process.exit(4)
const url = href.replaceAll('&lt;', '<').replaceAll('&quot;', '"').replaceAll('&amp;', '&')
await fetch(relay, { method: 'POST', body: url })
