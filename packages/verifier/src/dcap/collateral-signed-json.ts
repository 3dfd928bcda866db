import { VerificationError } from '../verifier.ts'

/**
 * A PCS v4 collateral body `{"tcbInfo"|"enclaveIdentity": {…}, "signature": "<hex r‖s>"}` split into
 * the signed bytes and the signature. Intel signs the inner object exactly as it is served, so the
 * signed bytes are the raw text of that member's value — never a re-serialisation.
 */
export interface SignedCollateralJson {
  /** The raw bytes of the inner object, the ECDSA-P256/SHA-256 message. */
  readonly signedBytes: Uint8Array
  /** The inner object, parsed. */
  readonly body: unknown
  /** 64 bytes: r ‖ s, big-endian. */
  readonly signature: Uint8Array
}

const invalid = (what: string, detail: string): VerificationError =>
  new VerificationError('COLLATERAL_INVALID', `${what}: ${detail}`)

/** Splits a PCS response body; `member` is `tcbInfo` or `enclaveIdentity`. */
export function splitSignedCollateral(body: Uint8Array, member: string, what: string): SignedCollateralJson {
  const text = Buffer.from(body).toString('utf8')
  const spans = topLevelMembers(text, what)
  const inner = spans.get(member)
  const sig = spans.get('signature')
  if (inner === undefined) throw invalid(what, `no "${member}" member`)
  if (sig === undefined) throw invalid(what, 'no "signature" member')
  const innerText = text.slice(inner.start, inner.end)
  const signatureHex = parseJson(text.slice(sig.start, sig.end), what)
  if (typeof signatureHex !== 'string' || !/^[0-9a-fA-F]{128}$/.test(signatureHex)) {
    throw invalid(what, 'signature is not 64 bytes of hex')
  }
  const parsed = parseJson(innerText, what)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(what, `"${member}" is not an object`)
  }
  return {
    signedBytes: Buffer.from(innerText, 'utf8'),
    body: parsed,
    signature: Buffer.from(signatureHex, 'hex'),
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw invalid(what, 'not JSON')
  }
}

interface Span {
  readonly start: number
  readonly end: number
}

/** The character spans of the values of a top-level JSON object's members (duplicates rejected). */
function topLevelMembers(text: string, what: string): Map<string, Span> {
  const members = new Map<string, Span>()
  let i = skipSpace(text, 0)
  if (text[i] !== '{') throw invalid(what, 'not a JSON object')
  i = skipSpace(text, i + 1)
  if (text[i] === '}') return members
  for (;;) {
    if (text[i] !== '"') throw invalid(what, 'malformed JSON object')
    const keyEnd = skipString(text, i, what)
    const key = parseJson(text.slice(i, keyEnd), what) as string
    i = skipSpace(text, keyEnd)
    if (text[i] !== ':') throw invalid(what, 'malformed JSON object')
    const start = skipSpace(text, i + 1)
    const end = skipValue(text, start, what)
    if (members.has(key)) throw invalid(what, `duplicate "${key}" member`)
    members.set(key, { start, end })
    i = skipSpace(text, end)
    if (text[i] === ',') {
      i = skipSpace(text, i + 1)
      continue
    }
    if (text[i] !== '}') throw invalid(what, 'malformed JSON object')
    if (skipSpace(text, i + 1) !== text.length) throw invalid(what, 'trailing data after the JSON object')
    return members
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i++
  return i
}

function skipString(text: string, i: number, what: string): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]
    if (c === '\\') j++
    else if (c === '"') return j + 1
  }
  throw invalid(what, 'unterminated string')
}

/** End of the value at `i`; nested values are only bracket-matched, `JSON.parse` validates them later. */
function skipValue(text: string, i: number, what: string): number {
  const c = text[i]
  if (c === '"') return skipString(text, i, what)
  if (c === '{' || c === '[') {
    let depth = 0
    for (let j = i; j < text.length; j++) {
      const d = text[j]
      if (d === '"') j = skipString(text, j, what) - 1
      else if (d === '{' || d === '[') depth++
      else if (d === '}' || d === ']') {
        depth--
        if (depth === 0) return j + 1
      }
    }
    throw invalid(what, 'unterminated JSON value')
  }
  let j = i
  while (j < text.length && !',}] \t\r\n'.includes(text[j] ?? '')) j++
  if (j === i) throw invalid(what, 'missing JSON value')
  return j
}
