/** Stopping a local HTTP server that an emulator or a test started. */
import type { Server } from 'node:http'

/**
 * Stops `server` taking connections, drops the ones still open (an answer still streaming, such as
 * an event stream, would otherwise hold it open for good), and resolves once it is closed.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
