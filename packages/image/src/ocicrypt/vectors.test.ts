import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { cocoKeyUnwrapper } from './coco-key-wrapper.ts'
import { jweKeyUnwrapper } from './jwe-key-wrapper.ts'
import type { KeyUnwrapper } from './key-wrapper.ts'
import { parsePrivateKey } from './key-material.ts'
import { decryptLayer } from './layer-decrypt.ts'
import { isEncryptedMediaType } from './media-types.ts'
import { OcicryptError } from './ocicrypt-error.ts'
import { blobStream, expectedLayers, fixtureBytes, fixtureText, layoutLayers } from './test-vectors.ts'

const rsa = parsePrivateKey(fixtureText('keys/jwe-rsa-priv.pem'))
const ec = parsePrivateKey(fixtureText('keys/jwe-ec-priv.pem'))
const cocoKek = fixtureBytes('keys/coco-kek.bin')
const stubKek = Buffer.from(fixtureText('keys/stub-kek.hex').trim(), 'hex')

const keksByKid: Record<string, Buffer> = { 'kbs:///default/image-kek/coco-test': cocoKek, 'kid-123': stubKek }
const getKek = (kid: string): Promise<Buffer | undefined> => Promise.resolve(keksByKid[kid])

/** One unwrapper set per key in the vectors' `unwrappedBy` vocabulary. */
const unwrappersFor: Record<string, KeyUnwrapper[]> = {
  'jwe:rsa': [jweKeyUnwrapper([rsa])],
  'jwe:ec': [jweKeyUnwrapper([ec])],
  'provider:coco': [cocoKeyUnwrapper({ getKek })],
  'provider:stub': [cocoKeyUnwrapper({ getKek, providerName: 'stub' })],
}

async function decryptToDigest(layout: string, digest: string, stream: NodeJS.ReadWriteStream): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(
    blobStream(layout, digest),
    stream,
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        hash.update(chunk)
        cb()
      },
    }),
  )
  return `sha256:${hash.digest('hex')}`
}

const LAYOUTS = [
  'enc-jwe-rsa',
  'enc-jwe-ec',
  'enc-jwe-lastlayer',
  'enc-kp-cmd',
  'enc-coco-grpc',
  'enc-jwe-and-provider',
  'ours-enc',
]

describe('skopeo vector layouts decrypt to the expected plaintext', () => {
  for (const layout of LAYOUTS) {
    test(layout, async () => {
      const layers = layoutLayers(layout)
      const expected = expectedLayers(layout)
      assert.equal(layers.length, expected.length)
      let encrypted = 0
      for (const [i, layer] of layers.entries()) {
        const want = expected[i]!
        assert.equal(layer.digest, want.digest)
        if (!isEncryptedMediaType(layer.mediaType)) continue
        encrypted++
        assert.ok(want.unwrappedBy && want.unwrappedBy.length > 0)
        // every key the vector says opens the layer must open it on its own
        for (const by of want.unwrappedBy) {
          const unwrappers = unwrappersFor[`${by.scheme}:${by.key ?? by.kek}`]
          assert.ok(unwrappers, `no unwrapper for ${JSON.stringify(by)}`)
          const d = await decryptLayer(layer, unwrappers)
          assert.equal(d.mediaType, want.mediaType.replace(/\+encrypted$/, ''))
          assert.equal(d.annotations, undefined, 'every enc annotation is stripped')
          assert.equal(d.sourceDigest, want.privopts?.digest)
          assert.equal(await decryptToDigest(layout, layer.digest, d.stream), want.plaintextDigest)
          await d.verified
        }
      }
      assert.ok(encrypted > 0)
    })
  }

  test('tampered-hmac: HMAC_MISMATCH from the stream and from verified', async () => {
    const [layer] = layoutLayers('tampered-hmac')
    assert.ok(layer)
    assert.equal(expectedLayers('tampered-hmac')[0]!.hmacOk, false)
    const d = await decryptLayer(layer, unwrappersFor['jwe:rsa']!)
    const received: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        received.push(chunk)
        cb()
      },
    })
    await assert.rejects(pipeline(blobStream('tampered-hmac', layer.digest), d.stream, sink), (e: unknown) => {
      return e instanceof OcicryptError && e.code === 'HMAC_MISMATCH' && /exp hmac/.test(e.message)
    })
    await assert.rejects(d.verified, (e: unknown) => e instanceof OcicryptError && e.code === 'HMAC_MISMATCH')
    // the 268-byte layer is under the 10 KiB hold-back: not one unverified byte reached the consumer
    assert.equal(Buffer.concat(received).length, 0)
  })

  test('a JWE vector with only the other JWE key: WRONG_KEY; with only a provider key: NO_KEY_FOR_LAYER', async () => {
    const [layer] = layoutLayers('enc-jwe-rsa')
    assert.ok(layer)
    await assert.rejects(decryptLayer(layer, unwrappersFor['jwe:ec']!), { code: 'WRONG_KEY' })
    await assert.rejects(decryptLayer(layer, unwrappersFor['provider:coco']!), { code: 'NO_KEY_FOR_LAYER' })
    await assert.rejects(decryptLayer(layer, []), { code: 'NO_KEY_FOR_LAYER' })
  })

  test('a provider packet whose KEK is wrong or whose KEK source fails', async () => {
    const [layer] = layoutLayers('enc-kp-cmd')
    assert.ok(layer)
    const wrongKek = cocoKeyUnwrapper({ getKek: () => Promise.resolve(cocoKek), providerName: 'stub' })
    await assert.rejects(decryptLayer(layer, [wrongKek]), { code: 'WRONG_KEY' })
    const kbsDown = cocoKeyUnwrapper({
      getKek: () => Promise.reject(new Error('connect ECONNREFUSED')),
      providerName: 'stub',
    })
    await assert.rejects(decryptLayer(layer, [kbsDown]), (e: unknown) => {
      return e instanceof OcicryptError && e.code === 'KEY_UNWRAP_FAILED' && /kid-123/.test(e.message)
    })
  })
})
