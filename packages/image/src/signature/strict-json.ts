import { SignatureError, type SignatureErrorCode } from './signature-error.ts'

/**
 * JSON.parse that refuses duplicate object keys (Go's containers/image parses policy files and
 * signature payloads "paranoidly": a duplicated member is an error, never last-one-wins).
 */
export function parseStrictJson(text: string, code: SignatureErrorCode, what: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new SignatureError(code, `${what}: invalid JSON: ${(e as Error).message}`)
  }
  const duplicate = findDuplicateKey(text)
  if (duplicate !== undefined) throw new SignatureError(code, `${what}: duplicate key ${JSON.stringify(duplicate)}`)
  return value
}

/** Scans already-valid JSON text for an object with a repeated key; returns the first one found. */
function findDuplicateKey(text: string): string | undefined {
  const stack: Array<Set<string> | undefined> = []
  let expectKey = false
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === '"') {
      const end = stringEnd(text, i)
      const top = stack[stack.length - 1]
      if (expectKey && top !== undefined) {
        const key = JSON.parse(text.slice(i, end)) as string
        if (top.has(key)) return key
        top.add(key)
        expectKey = false
      }
      i = end
      continue
    }
    if (c === '{') {
      stack.push(new Set())
      expectKey = true
    } else if (c === '[') {
      stack.push(undefined)
    } else if (c === '}' || c === ']') {
      stack.pop()
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] !== undefined
    }
    i++
  }
  return undefined
}

/** Index just past the closing quote of the string literal starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    const c = text[i]
    if (c === '\\') i += 2
    else if (c === '"') return i + 1
    else i++
  }
  return i
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
