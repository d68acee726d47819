/** Only http(s) URLs are ever handed to a browser (no file:, javascript:, custom schemes). */
export function assertWebUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`Refusing to open a ${parsed.protocol} URL`)
  return parsed.toString()
}
