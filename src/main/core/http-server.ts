/**
 * `createServer` of node:http, loaded with `require`. An ES import of node:http has Node build the
 * module's namespace, which reads every export, among them the lazy `WebSocket`, `CloseEvent` and
 * `MessageEvent` getters, and so loads all of undici: tens of milliseconds at every start of a
 * bundled shell (an ES module), for classes Latchkey never uses. Types still come from an
 * `import type`, which costs nothing at run time.
 */
import { createRequire } from 'node:module'

type Http = typeof import('node:http')

export const createServer: Http['createServer'] = (createRequire(import.meta.url)('node:http') as Http).createServer
