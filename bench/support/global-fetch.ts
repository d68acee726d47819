/**
 * Stands in for src/main/providers/http-fetch.ts in the child process of answers-in-process.ts:
 * the global fetch, which that bench section replaces with answers made in the process.
 */
export function httpFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  return globalThis.fetch(input, init)
}
