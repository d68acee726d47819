/** A GET with a Host header of the caller's choosing (fetch always sends the real one), for tests. */
import { request as httpRequest } from 'node:http'

export function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.on('error', reject)
    request.end()
  })
}
