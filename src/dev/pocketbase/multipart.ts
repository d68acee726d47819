/**
 * A small multipart/form-data reader (RFC 7578) for the JS SDK's FormData bodies: text parts and
 * file parts, in order. No streaming: bodies are already size-capped in memory.
 */

export interface MultipartPart {
  name: string
  /** Set for a file part (possibly ''). */
  filename: string | undefined
  /** The part's Content-Type header, when it has one. */
  contentType?: string
  content: Buffer
}

const CRLF = '\r\n'

export function parseMultipart(contentType: string, raw: Buffer): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  const value = boundary?.[1] ?? boundary?.[2]
  if (value === undefined) throw new Error('The multipart body has no boundary.')
  const delimiter = `--${value}`
  const parts: MultipartPart[] = []
  let position = raw.indexOf(delimiter)
  if (position < 0) throw new Error('The multipart body has no parts.')
  for (;;) {
    position += delimiter.length
    if (raw.toString('latin1', position, position + 2) === '--') return parts
    const headersStart = position + CRLF.length
    const headersEnd = raw.indexOf(CRLF + CRLF, headersStart)
    if (headersEnd < 0) throw new Error('A multipart part has no end of headers.')
    const contentStart = headersEnd + 2 * CRLF.length
    const next = raw.indexOf(CRLF + delimiter, contentStart)
    if (next < 0) throw new Error('A multipart part has no closing boundary.')
    parts.push(part(raw.toString('utf8', headersStart, headersEnd), raw.subarray(contentStart, next)))
    position = next + CRLF.length
  }
}

function part(headers: string, content: Buffer): MultipartPart {
  const disposition = headers.split(CRLF).find((line) => line.toLowerCase().startsWith('content-disposition:')) ?? ''
  const parameter = (key: string): string | undefined => {
    const found = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition)
    return found?.[1] === undefined ? undefined : unescape(found[1])
  }
  const type = headers.split(CRLF).find((line) => line.toLowerCase().startsWith('content-type:'))
  const base = { name: parameter('name') ?? '', filename: parameter('filename'), content }
  return type === undefined ? base : { ...base, contentType: type.slice('content-type:'.length).trim() }
}

/** What browsers and undici escape in part names (WHATWG "multipart/form-data encoding algorithm"). */
function unescape(text: string): string {
  return text.replaceAll('%22', '"').replaceAll('%0D', '\r').replaceAll('%0A', '\n').replace(/\\(.)/g, '$1')
}
