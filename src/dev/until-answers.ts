/**
 * Waiting for a server the tests started (a real PocketBase, Supabase Auth, ORY Hydra, Keycloak):
 * asks `url` every `interval` ms until it answers 2xx. Before each try, `failed` says whether the
 * process has already given up (exited, or said it cannot start); that error is thrown at once.
 * After `within` ms without an answer, the error `late` makes is thrown.
 */
export interface UntilAnswersOptions {
  within: number
  failed(): Error | null
  late(): Error
  /** Default 100 ms. */
  interval?: number
  /** How long one try may take (something else on the port may never answer); default no limit. */
  tryTimeout?: number
}

export async function untilAnswers(url: string, options: UntilAnswersOptions): Promise<void> {
  const deadline = Date.now() + options.within
  for (;;) {
    const failed = options.failed()
    if (failed !== null) throw failed
    const ok = await fetch(url, options.tryTimeout === undefined ? {} : { signal: AbortSignal.timeout(options.tryTimeout) }).then(
      async (response) => {
        await response.body?.cancel()
        return response.ok
      },
      () => false,
    )
    if (ok) return
    if (Date.now() > deadline) throw options.late()
    await new Promise((resolve) => setTimeout(resolve, options.interval ?? 100))
  }
}
