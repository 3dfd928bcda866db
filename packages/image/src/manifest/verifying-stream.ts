import { createHash } from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'
import { OciError } from '../reference/oci-error.ts'
import type { BlobInfo } from './image-transport.ts'

/**
 * A pass-through that counts and hashes: it fails as soon as more than `size` bytes pass, and at
 * the end when the length or the sha256 differs from the expectation. `what` names the blob in errors.
 */
export function verifyingStream(expected: BlobInfo, what: string): Transform {
  const hash = createHash('sha256')
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length
      if (seen > expected.size) {
        callback(
          new OciError('SIZE_MISMATCH', `${what}: more than the ${expected.size} bytes its descriptor announces`),
        )
        return
      }
      hash.update(chunk)
      callback(null, chunk)
    },
    flush(callback: TransformCallback) {
      if (seen !== expected.size) {
        callback(new OciError('SIZE_MISMATCH', `${what}: ${seen} bytes, its descriptor announces ${expected.size}`))
        return
      }
      const actual = `sha256:${hash.digest('hex')}`
      if (actual !== expected.digest) {
        callback(new OciError('DIGEST_MISMATCH', `${what}: content digest ${actual} is not ${expected.digest}`))
        return
      }
      callback()
    },
  })
}
