import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { withoutEncryptionAnnotations } from './annotations.ts'
import {
  encodePrivateOptions,
  encodePublicOptions,
  parsePrivateOptions,
  parsePublicOptions,
  LAYER_CIPHER,
} from './layer-options.ts'
import { decryptedMediaType, encryptedMediaType, isEncryptedMediaType } from './media-types.ts'

// exact bytes skopeo produced for vector enc-jwe-rsa (spec §2.1)
const PRIVOPTS =
  '{"symkey":"WIxGNeQlbzgmXIoFda8QQrHF94CTlDbWpqpgXW5EkWw=","digest":"sha256:f04b9fbf7b7f1bc5587381520dce9ff7e8a3d23160f3a9806134d1c1566adfc3","cipheroptions":{"nonce":"xNBDxsW6cj/xH7+bTCSt1w=="}}'
const PUBOPTS =
  '{"cipher":"AES_256_CTR_HMAC_SHA256","hmac":"wGAqVqG6EzxAQsFBRnlw7hIp/rloHPkG/IEoA/smx/c=","cipheroptions":{}}'

describe('layer options JSON as Go encodes it', () => {
  test('privopts and pubopts round-trip to skopeo’s exact bytes', () => {
    assert.equal(encodePrivateOptions(parsePrivateOptions(Buffer.from(PRIVOPTS))).toString(), PRIVOPTS)
    assert.equal(encodePublicOptions(parsePublicOptions(Buffer.from(PUBOPTS))).toString(), PUBOPTS)
    assert.equal(parsePublicOptions(Buffer.from(PUBOPTS)).cipher, LAYER_CIPHER)
  })

  test('field order does not matter when reading; Go escaping when writing', () => {
    const reordered =
      '{"cipheroptions":{"nonce":"xNBDxsW6cj/xH7+bTCSt1w=="},"digest":"d","symkey":"WIxGNeQlbzgmXIoFda8QQrHF94CTlDbWpqpgXW5EkWw="}'
    const parsed = parsePrivateOptions(Buffer.from(reordered))
    assert.equal(parsed.digest, 'd')
    const odd = encodePrivateOptions({ ...parsed, digest: '<&>' }).toString()
    assert.match(odd, /"digest":"\\u003c\\u0026\\u003e"/)
  })

  test('bad sizes, unpadded or URL-alphabet base64 are MALFORMED_ANNOTATION', () => {
    const bad = [
      PRIVOPTS.replace('WIxGNeQlbzgmXIoFda8QQrHF94CTlDbWpqpgXW5EkWw=', 'WIxGNeQlbzgmXIoFda8QQrHF94CTlDbWpqpgXW5EkWw'),
      PRIVOPTS.replace('xNBDxsW6cj/xH7+bTCSt1w==', 'xNBDxsW6cj_xH7-bTCSt1w=='),
      PRIVOPTS.replace('xNBDxsW6cj/xH7+bTCSt1w==', 'AAAA'),
      '{"symkey":"WIxGNeQlbzgmXIoFda8QQrHF94CTlDbWpqpgXW5EkWw=","digest":"d"}',
      '[]',
      'nope',
    ]
    for (const b of bad) assert.throws(() => parsePrivateOptions(Buffer.from(b)), { code: 'MALFORMED_ANNOTATION' }, b)
    assert.throws(() => parsePublicOptions(Buffer.from('{"cipher":"","hmac":null}')), { code: 'MALFORMED_ANNOTATION' })
  })
})

describe('media types', () => {
  test('+encrypted is appended to OCI layer types and stripped on decryption', () => {
    for (const t of [
      'application/vnd.oci.image.layer.v1.tar',
      'application/vnd.oci.image.layer.v1.tar+gzip',
      'application/vnd.oci.image.layer.v1.tar+zstd',
      'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
    ]) {
      const e = encryptedMediaType(t)
      assert.equal(e, `${t}+encrypted`)
      assert.ok(isEncryptedMediaType(e))
      assert.equal(decryptedMediaType(e), t)
    }
    assert.throws(() => decryptedMediaType('application/vnd.oci.image.layer.v1.tar+gzip'), {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    })
    assert.throws(() => encryptedMediaType('application/vnd.oci.image.layer.v1.tar+encrypted+gzip'), {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    })
    assert.throws(() => encryptedMediaType('application/octet-stream'), { code: 'UNSUPPORTED_MEDIA_TYPE' })
  })

  test('every org.opencontainers.image.enc* annotation is removed, others kept', () => {
    const kept = withoutEncryptionAnnotations({
      'org.opencontainers.image.enc.pubopts': 'x',
      'org.opencontainers.image.enc.keys.jwe': 'y',
      'org.opencontainers.image.encfuture': 'z',
      'org.opencontainers.image.title': 't',
    })
    assert.deepEqual(kept, { 'org.opencontainers.image.title': 't' })
    assert.equal(withoutEncryptionAnnotations({ 'org.opencontainers.image.enc.pubopts': 'x' }), undefined)
  })
})
