#!/usr/bin/env node
// Stands in for the system browser during end-to-end tests: Latchkey runs $BROWSER with the URL,
// and this hands the URL to the test, which opens it in a second Playwright page.
const [url] = process.argv.slice(2)
const relay = process.env.LATCHKEY_E2E_RELAY
if (!url || !relay) process.exit(2)
await fetch(relay, { method: 'POST', body: url })
