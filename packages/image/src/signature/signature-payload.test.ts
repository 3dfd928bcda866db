import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SignatureError } from './signature-error.ts'
import {
  manifestMatchesDigest,
  parseSignaturePayload,
  serializeSignaturePayload,
  SIGSTORE_PAYLOAD_TYPE,
  SIMPLE_SIGNING_TYPE,
} from './signature-payload.ts'
import { fixtureBytes, PLAIN_DIGEST } from './test-support.ts'

const DIGEST = `sha256:${'b'.repeat(64)}`
const good = (optional: string, extraCritical = '', type = SIGSTORE_PAYLOAD_TYPE): string =>
  `{"critical":{"identity":{"docker-reference":"example.com/a:b"},"image":{"docker-manifest-digest":"${DIGEST}"},"type":"${type}"${extraCritical}},"optional":${optional}}`

function bad(text: string, message: RegExp, type = SIGSTORE_PAYLOAD_TYPE): void {
  assert.throws(
    () => parseSignaturePayload(Buffer.from(text), type),
    (e: unknown) => e instanceof SignatureError && e.code === 'INVALID_PAYLOAD' && message.test(e.message),
  )
}

describe('signature payloads', () => {
  test('the vector payloads parse (containers/image and cosign shapes)', () => {
    const ci = parseSignaturePayload(
      fixtureBytes(
        'layouts/signed-sigstore/blobs/sha256/e613a367d8ad36bf583cd125ca0e14557f5183bdcf2c87f24b2a470b5a5ccfb9',
      ),
      SIGSTORE_PAYLOAD_TYPE,
    )
    assert.deepEqual(ci, {
      type: SIGSTORE_PAYLOAD_TYPE,
      dockerReference: '127.0.0.1:5000/coco/signed-sigstore:v1',
      manifestDigest: PLAIN_DIGEST,
      creator: 'containers/image 5.29.4',
      timestamp: 1795414735,
    })
    const cosign = parseSignaturePayload(
      fixtureBytes(
        'layouts/cosign-style/blobs/sha256/27f46c0065f55ac3399056ac140e2d6bc9c3e6bcf12ca52da762887d84e3e89a',
      ),
      SIGSTORE_PAYLOAD_TYPE,
    )
    assert.equal(cosign.dockerReference, '127.0.0.1:5000/coco/cosign-style')
    assert.equal(cosign.creator, undefined)
  })

  test('strict shape: exact members, types, duplicate keys', () => {
    bad(good('null').replace(',"optional":null', ''), /Key "optional" missing/)
    bad(good('null', ',"extra":1'), /Unknown key "extra"/)
    bad(good('null').replace('"example.com/a:b"', '"example.com/a:b","x":1'), /Unknown key "x"/)
    bad(good('null').replace(',"optional":null', ',"optional":null,"y":2'), /Unknown key "y"/)
    bad(good('{"timestamp":1.5}'), /timestamp is not an integer/)
    bad(good('{"creator":7}'), /creator is not a string/)
    bad(good('[]'), /optional is not a JSON object/)
    bad(good('null').replace(`"${DIGEST}"`, '"sha256:xyz"'), /invalid docker-manifest-digest/)
    bad(good('null').replace('"example.com/a:b"', '42'), /docker-reference is not a string/)
    bad(good('null', ',"type":"x"'), /duplicate key "type"/)
    bad('not json', /invalid JSON/)
    bad(good('null'), /Unrecognized signature type cosign container image signature/, SIMPLE_SIGNING_TYPE)
    assert.equal(
      parseSignaturePayload(Buffer.from(good('{"creator":"x","timestamp":5,"other":true}')), SIGSTORE_PAYLOAD_TYPE)
        .timestamp,
      5,
    )
  })

  test('serialization matches containers/image byte for byte', () => {
    const original = fixtureBytes(
      'layouts/signed-sigstore/blobs/sha256/e613a367d8ad36bf583cd125ca0e14557f5183bdcf2c87f24b2a470b5a5ccfb9',
    )
    const again = serializeSignaturePayload(parseSignaturePayload(original, SIGSTORE_PAYLOAD_TYPE))
    assert.deepEqual(again, original)
    const cosign = fixtureBytes(
      'layouts/cosign-style/blobs/sha256/27f46c0065f55ac3399056ac140e2d6bc9c3e6bcf12ca52da762887d84e3e89a',
    )
    assert.deepEqual(serializeSignaturePayload(parseSignaturePayload(cosign, SIGSTORE_PAYLOAD_TYPE)), cosign)
  })

  test('manifest digests over raw bytes, several algorithms', () => {
    const bytes = fixtureBytes(`layouts/signed-sigstore/blobs/sha256/${PLAIN_DIGEST.slice(7)}`)
    assert.equal(manifestMatchesDigest(bytes, PLAIN_DIGEST), true)
    assert.equal(manifestMatchesDigest(Buffer.concat([bytes, Buffer.from(' ')]), PLAIN_DIGEST), false)
    assert.equal(manifestMatchesDigest(Buffer.from('x'), `md5:${'0'.repeat(32)}`), false)
  })
})
