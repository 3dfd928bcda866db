import type { Readable } from 'node:stream'
import { OciError } from '../reference/oci-error.ts'

/** Collects at most `limit` bytes of a body; more → TOO_LARGE (the stream is destroyed). */
export async function readLimited(body: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length
      if (size > limit) throw new OciError('TOO_LARGE', `${what} is larger than the ${limit}-byte limit`)
      chunks.push(chunk as Buffer)
    }
  } catch (e) {
    body.destroy()
    if (e instanceof OciError) throw e
    throw new OciError('NETWORK', `${what}: ${(e as Error).message}`, { cause: e })
  }
  return Buffer.concat(chunks)
}

/** Reads and throws away a body so the connection can be reused (small bodies) or closes it. */
export async function discard(body: Readable): Promise<void> {
  try {
    await readLimited(body, 64 * 1024, 'response')
  } catch {
    body.destroy()
  }
}

/** The message of a registry's `{"errors":[{"code","message"}]}` body, if it sent one. */
export async function registryErrorText(body: Readable): Promise<string> {
  let text: string
  try {
    text = (await readLimited(body, 64 * 1024, 'error body')).toString('utf8')
  } catch {
    return ''
  }
  try {
    const doc = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] }
    const parts = (doc.errors ?? []).map((e) => [e.code, e.message].filter((x) => typeof x === 'string').join(': '))
    if (parts.length > 0) return parts.join('; ')
  } catch {
    // not JSON: show the start of the text
  }
  return text.slice(0, 200).trim()
}
