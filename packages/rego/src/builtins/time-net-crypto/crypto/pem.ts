import { decodeStdBase64 } from './go-base64.ts'

/** A PEM block as Go's encoding/pem returns it. */
export interface PemBlock {
  type: string
  headers: Map<string, string>
  bytes: Buffer
}

const START = Buffer.from('\n-----BEGIN ')
const END = Buffer.from('\n-----END ')
const DASHES = Buffer.from('-----')

function getLine(data: Buffer): [Buffer, Buffer] {
  let i = data.indexOf(0x0a)
  let j: number
  if (i < 0) {
    i = data.length
    j = i
  } else {
    j = i + 1
    if (i > 0 && data[i - 1] === 0x0d) i--
  }
  let end = i
  while (end > 0 && (data[end - 1] === 0x20 || data[end - 1] === 0x09)) end--
  return [data.subarray(0, end), data.subarray(j)]
}

function startsWith(b: Buffer, prefix: Buffer): boolean {
  return b.length >= prefix.length && b.subarray(0, prefix.length).equals(prefix)
}

function endsWith(b: Buffer, suffix: Buffer): boolean {
  return b.length >= suffix.length && b.subarray(b.length - suffix.length).equals(suffix)
}

/**
 * Go's pem.Decode: the first well-formed block and the input after it, or `undefined` block and
 * the whole input when there is none. Malformed candidates are skipped, as in Go.
 */
export function decodePem(data: Buffer): { block: PemBlock | undefined; rest: Buffer } {
  let rest = data
  for (;;) {
    if (startsWith(rest, START.subarray(1))) {
      rest = rest.subarray(START.length - 1)
    } else {
      const at = rest.indexOf(START)
      if (at < 0) return { block: undefined, rest: data }
      rest = rest.subarray(at + START.length)
    }
    let typeLine: Buffer
    ;[typeLine, rest] = getLine(rest)
    if (!endsWith(typeLine, DASHES)) continue
    typeLine = typeLine.subarray(0, typeLine.length - DASHES.length)
    const headers = new Map<string, string>()
    let truncated = false
    for (;;) {
      if (rest.length === 0) {
        truncated = true
        break
      }
      const [line, next] = getLine(rest)
      const colon = line.indexOf(0x3a)
      if (colon < 0) break
      headers.set(
        line.subarray(0, colon).toString('latin1').trim(),
        line
          .subarray(colon + 1)
          .toString('latin1')
          .trim(),
      )
      rest = next
    }
    if (truncated) return { block: undefined, rest: data }
    let endIndex: number
    let endTrailerIndex: number
    if (headers.size === 0 && startsWith(rest, END.subarray(1))) {
      endIndex = 0
      endTrailerIndex = END.length - 1
    } else {
      endIndex = rest.indexOf(END)
      endTrailerIndex = endIndex + END.length
    }
    if (endIndex < 0) continue
    let endTrailer = rest.subarray(endTrailerIndex)
    const trailerLen = typeLine.length + DASHES.length
    if (endTrailer.length < trailerLen) continue
    const restOfEndLine = endTrailer.subarray(trailerLen)
    endTrailer = endTrailer.subarray(0, trailerLen)
    if (!startsWith(endTrailer, typeLine) || !endsWith(endTrailer, DASHES)) continue
    if (getLine(restOfEndLine)[0].length !== 0) continue
    const body = Buffer.from(rest.subarray(0, endIndex).filter((c) => c !== 0x20 && c !== 0x09))
    let bytes: Buffer
    try {
      bytes = decodeStdBase64(body)
    } catch {
      continue
    }
    const after = getLine(rest.subarray(endIndex + END.length - 1))[1]
    return { block: { type: typeLine.toString('latin1'), headers, bytes }, rest: after }
  }
}

/** Every block in `data`, in order, until no further block decodes. */
export function decodeAllPem(data: Buffer): PemBlock[] {
  const out: PemBlock[] = []
  let rest = data
  while (rest.length > 0) {
    const { block, rest: next } = decodePem(rest)
    if (!block) break
    out.push(block)
    rest = next
  }
  return out
}

/** PEM text of DER bytes (Go's pem.Encode without headers). */
export function encodePem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64')
  const lines = b64.match(/.{1,64}/g) ?? []
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${type}-----\n`
}
