import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { PUBOPTS_ANNOTATION, keysAnnotation } from './annotations.ts'
import { cocoKeyUnwrapper, cocoKeyWrapper } from './coco-key-wrapper.ts'
import { jweKeyUnwrapper, jweKeyWrapper } from './jwe-key-wrapper.ts'
import type { KeyUnwrapper, KeyWrapper } from './key-wrapper.ts'
import { parsePrivateKey, parsePublicKey } from './key-material.ts'
import { decryptLayer } from './layer-decrypt.ts'
import type { LayerDescriptor } from './layer-descriptor.ts'
import { encryptLayer } from './layer-encrypt.ts'
import { fixtureBytes, fixtureText } from './test-vectors.ts'

const rsaPub = parsePublicKey(fixtureText('keys/jwe-rsa-pub.pem'))
const ecPub = parsePublicKey(fixtureText('keys/jwe-ec-pub.pem'))
const rsa = parsePrivateKey(fixtureText('keys/jwe-rsa-priv.pem'))
const ec = parsePrivateKey(fixtureText('keys/jwe-ec-priv.pem'))
const kek = fixtureBytes('keys/coco-kek.bin')
const KID = 'kbs:///default/image-kek/coco-test'
const coco = cocoKeyUnwrapper({ getKek: (kid) => Promise.resolve(kid === KID ? kek : undefined) })

const plaintext = randomBytes(300_000)
const source: LayerDescriptor & { urls: string[] } = {
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  digest: `sha256:${createHash('sha256').update(plaintext).digest('hex')}`,
  size: plaintext.length,
  annotations: { 'org.example.keep': 'yes' },
  urls: ['https://example.invalid/blob'],
}

function sink(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      into.push(chunk)
      callback()
    },
  })
}

async function encrypt(wrappers: KeyWrapper[]): Promise<{ descriptor: typeof source; blob: Buffer }> {
  const enc = await encryptLayer(
    Readable.from([plaintext.subarray(0, 1000), plaintext.subarray(1000)]),
    source,
    wrappers,
  )
  const out: Buffer[] = []
  await pipeline(enc.stream, sink(out))
  return { descriptor: await enc.finalize(), blob: Buffer.concat(out) }
}

async function decrypt(descriptor: LayerDescriptor, blob: Buffer, unwrappers: KeyUnwrapper[]): Promise<Buffer> {
  const d = await decryptLayer(descriptor, unwrappers)
  const out: Buffer[] = []
  await pipeline(Readable.from([blob]), d.stream, sink(out))
  await d.verified
  return Buffer.concat(out)
}

function jweOf(descriptor: LayerDescriptor): Record<string, unknown>[] {
  const value = descriptor.annotations?.[keysAnnotation('jwe')] ?? ''
  return value.split(',').map((e) => JSON.parse(Buffer.from(e, 'base64').toString('utf8')) as Record<string, unknown>)
}

describe('our encryption round-trips with several recipients', () => {
  test('one general JWE for RSA + EC, plus the CoCo packet: each key alone opens the layer', async () => {
    const { descriptor, blob } = await encrypt([jweKeyWrapper([rsaPub, ecPub]), cocoKeyWrapper({ kid: KID, kek })])
    assert.equal(descriptor.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted')
    assert.equal(descriptor.size, plaintext.length)
    assert.equal(descriptor.digest, `sha256:${createHash('sha256').update(blob).digest('hex')}`)
    assert.deepEqual(descriptor.urls, source.urls)
    assert.deepEqual(Object.keys(descriptor.annotations ?? {}).sort(), [
      'org.example.keep',
      'org.opencontainers.image.enc.keys.jwe',
      'org.opencontainers.image.enc.keys.provider.attestation-agent',
      'org.opencontainers.image.enc.pubopts',
    ])
    const [general] = jweOf(descriptor)
    assert.ok(general)
    assert.equal(Buffer.from(String(general['protected']), 'base64url').toString(), '{"enc":"A256GCM"}')
    const recipients = general['recipients'] as { header: { alg: string } }[]
    assert.deepEqual(
      recipients.map((r) => r.header.alg),
      ['RSA-OAEP', 'ECDH-ES+A256KW'],
    )
    const pubopts = Buffer.from(descriptor.annotations?.[PUBOPTS_ANNOTATION] ?? '', 'base64').toString()
    assert.match(pubopts, /^\{"cipher":"AES_256_CTR_HMAC_SHA256","hmac":"[A-Za-z0-9+/]{43}=","cipheroptions":\{\}\}$/)
    for (const unwrappers of [[jweKeyUnwrapper([rsa])], [jweKeyUnwrapper([ec])], [coco]]) {
      assert.deepEqual(await decrypt(descriptor, blob, unwrappers), plaintext)
    }
    const d = await decryptLayer(descriptor, [coco])
    assert.deepEqual(d.annotations, { 'org.example.keep': 'yes' })
    assert.equal(d.sourceDigest, source.digest)
    assert.equal(d.unwrappedBy, 'provider.attestation-agent')
  })

  test('one recipient is a flattened JWE; two wrappers of one scheme become a comma list', async () => {
    const single = await encrypt([jweKeyWrapper([ecPub])])
    const [flat] = jweOf(single.descriptor)
    assert.ok(flat && typeof flat['encrypted_key'] === 'string' && flat['recipients'] === undefined)
    const header = JSON.parse(Buffer.from(String(flat['protected']), 'base64url').toString()) as Record<string, unknown>
    assert.equal(header['alg'], 'ECDH-ES+A256KW')
    assert.equal(header['enc'], 'A256GCM')

    const listed = await encrypt([jweKeyWrapper([rsaPub]), jweKeyWrapper([ecPub])])
    assert.equal(jweOf(listed.descriptor).length, 2)
    assert.deepEqual(await decrypt(listed.descriptor, listed.blob, [jweKeyUnwrapper([ec])]), plaintext)
    // a key list where only the second key fits
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    assert.deepEqual(await decrypt(listed.descriptor, listed.blob, [jweKeyUnwrapper([{ key: other }, rsa])]), plaintext)
  })

  test('RSA-OAEP-256 from a JWK recipient `alg` is honoured and opens', async () => {
    const jwk = { ...rsaPub.key.export({ format: 'jwk' }), alg: 'RSA-OAEP-256' }
    const { descriptor, blob } = await encrypt([jweKeyWrapper([parsePublicKey(JSON.stringify(jwk))])])
    const [flat] = jweOf(descriptor)
    assert.match(Buffer.from(String(flat?.['protected']), 'base64url').toString(), /"alg":"RSA-OAEP-256"/)
    assert.deepEqual(await decrypt(descriptor, blob, [jweKeyUnwrapper([rsa])]), plaintext)
  })
})

describe('key and annotation errors are coded', () => {
  test('wrong key, missing key, KEK unknown', async () => {
    const { descriptor } = await encrypt([jweKeyWrapper([rsaPub]), cocoKeyWrapper({ kid: KID, kek })])
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    await assert.rejects(decryptLayer(descriptor, [jweKeyUnwrapper([{ key: stranger }])]), { code: 'WRONG_KEY' })
    await assert.rejects(decryptLayer(descriptor, []), { code: 'NO_KEY_FOR_LAYER' })
    const noKek = cocoKeyUnwrapper({ getKek: () => Promise.resolve(undefined) })
    await assert.rejects(decryptLayer(descriptor, [noKek]), { code: 'WRONG_KEY' })
  })

  test('encryption without any wrapped key, or of an encrypted / unknown media type', async () => {
    await assert.rejects(encryptLayer(Readable.from([]), source, []), { code: 'NO_WRAPPED_KEYS' })
    await assert.rejects(encryptLayer(Readable.from([]), source, [jweKeyWrapper([])]), { code: 'NO_WRAPPED_KEYS' })
    const encrypted = { ...source, mediaType: `${source.mediaType}+encrypted` }
    await assert.rejects(encryptLayer(Readable.from([]), encrypted, [jweKeyWrapper([rsaPub])]), {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    })
    const config = { ...source, mediaType: 'application/vnd.oci.image.config.v1+json' }
    await assert.rejects(encryptLayer(Readable.from([]), config, [jweKeyWrapper([rsaPub])]), {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    })
  })

  test('a failing source fails the ciphertext stream and finalize; a failing wrapper closes the source', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('disk read error'))
      },
    })
    const enc = await encryptLayer(broken, source, [jweKeyWrapper([rsaPub])])
    await assert.rejects(pipeline(enc.stream, sink([])), /disk read error/)
    await assert.rejects(enc.finalize(), { code: 'STREAM_ABORTED' })

    const untouched = Readable.from([plaintext])
    const failing: KeyWrapper = { scheme: 'provider.x', wrapKey: () => Promise.reject(new Error('provider down')) }
    await assert.rejects(encryptLayer(untouched, source, [failing]), /provider down/)
    assert.equal(untouched.destroyed, true)
  })

  test('malformed annotations', async () => {
    const { descriptor } = await encrypt([jweKeyWrapper([rsaPub])])
    const annotations = descriptor.annotations ?? {}
    const jwe = keysAnnotation('jwe')
    const unwrappers = [jweKeyUnwrapper([rsa]), coco]
    const b64 = (s: string): string => Buffer.from(s).toString('base64')
    const cases: [Record<string, string | undefined>, string][] = [
      [{ [PUBOPTS_ANNOTATION]: undefined }, 'MALFORMED_ANNOTATION'],
      [{ [PUBOPTS_ANNOTATION]: 'not base64!' }, 'MALFORMED_ANNOTATION'],
      [
        { [PUBOPTS_ANNOTATION]: b64('{"cipher":"AES_128_GCM","hmac":"AA==","cipheroptions":{}}') },
        'UNSUPPORTED_CIPHER',
      ],
      [
        { [PUBOPTS_ANNOTATION]: b64('{"cipher":"AES_256_CTR_HMAC_SHA256","cipheroptions":{}}') },
        'MALFORMED_ANNOTATION',
      ],
      [{ [PUBOPTS_ANNOTATION]: b64('{"cipher":"AES_256_CTR_HMAC_SHA256","hmac":"AAAA"}') }, 'MALFORMED_ANNOTATION'],
      [{ [jwe]: undefined }, 'MALFORMED_ANNOTATION'],
      [{ [jwe]: `${annotations[jwe] ?? ''},` }, 'MALFORMED_ANNOTATION'],
      [{ [jwe]: 'eyJ@' }, 'MALFORMED_ANNOTATION'],
      [{ [jwe]: b64('not json') }, 'MALFORMED_ANNOTATION'],
      [{ [jwe]: b64('{"protected":"e30","iv":"","ciphertext":""}') }, 'MALFORMED_ANNOTATION'],
      [{ [keysAnnotation('provider.attestation-agent')]: b64('{"kid":"x","iv":"AAAA"}') }, 'MALFORMED_ANNOTATION'],
      [
        {
          [keysAnnotation('provider.attestation-agent')]: b64(
            '{"kid":"x","iv":"AAAAAAAAAAAAAAAA","wrapped_data":"","wrap_type":"A128KW"}',
          ),
        },
        'UNSUPPORTED_CIPHER',
      ],
    ]
    for (const [change, code] of cases) {
      // a provider-packet case must not be rescued by the valid JWE entry
      const dropJwe = keysAnnotation('provider.attestation-agent') in change
      const merged = Object.entries({ ...annotations, ...change }).filter(([k]) => !(dropJwe && k === jwe))
      const changed = Object.fromEntries(merged.filter((e): e is [string, string] => e[1] !== undefined))
      await assert.rejects(
        decryptLayer({ ...descriptor, annotations: changed }, unwrappers),
        { code },
        JSON.stringify(change),
      )
    }
    await assert.rejects(decryptLayer({ ...descriptor, mediaType: source.mediaType }, unwrappers), {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    })
  })

  test('key material that is not a key', async () => {
    assert.throws(() => parsePublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), {
      code: 'INVALID_KEY',
    })
    assert.throws(() => parsePrivateKey(Buffer.from('junk')), { code: 'INVALID_KEY' })
    assert.throws(() => parsePublicKey(JSON.stringify(rsa.key.export({ format: 'jwk' }))), { code: 'INVALID_KEY' })
    assert.throws(() => parsePublicKey(JSON.stringify({ ...rsaPub.key.export({ format: 'jwk' }), alg: 'RSA1_5' })), {
      code: 'INVALID_KEY',
    })
    const ed = generateKeyPairSync('ed25519').publicKey
    assert.throws(() => jweKeyWrapper([{ key: ed }]), { code: 'INVALID_KEY' })
    await assert.rejects(cocoKeyWrapper({ kid: KID, kek: kek.subarray(1) }).wrapKey(Buffer.from('x')), {
      code: 'INVALID_KEY',
    })
  })
})
