import assert from 'node:assert/strict'
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import { parseManifest } from '../manifest/manifest.ts'
import { parseImageReference } from '../reference/image-reference.ts'
import { readSigningKey } from './cosign-private-key.ts'
import { evaluatePolicy, type PolicyContext } from './policy-evaluate.ts'
import { parsePolicy } from './policy-parse.ts'
import { SignatureError } from './signature-error.ts'
import { signImage } from './sign-image.ts'
import { sigstoreAttachmentTag } from './sigstore-attachments.ts'
import { fixture, fixtureBytes, fixturePolicy, fixtureRegistries, PLAIN_DIGEST } from './test-support.ts'

const PLAIN_LAYOUT = fileURLToPath(new URL('../../fixtures/layouts/plain', import.meta.url))
const VECTOR_SIG = 'layouts/signed-sigstore/blobs/sha256/'

function sigstorePolicy(publicKey: KeyObject | Buffer, identity: string, scope: string, transport = 'docker'): string {
  const pem = Buffer.isBuffer(publicKey) ? publicKey : Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }))
  return JSON.stringify({
    default: [{ type: 'reject' }],
    transports: {
      [transport]: {
        [scope]: [
          { type: 'sigstoreSigned', keyData: pem.toString('base64'), signedIdentity: JSON.parse(identity) as unknown },
        ],
      },
    },
  })
}

describe('signImage (cosign convention) and verification of our signatures', () => {
  let dir = ''
  const vectorKey = readSigningKey(
    fixtureBytes('keys/sigstore.private'),
    fixtureBytes('keys/sigstore.pass').toString('utf8').trim(),
  )

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'carapace-sign-'))
    await cp(PLAIN_LAYOUT, dir, { recursive: true })
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  async function verifyDocker(policy: string, repoAndTag = 'signed-sigstore:v1', ctx: Partial<PolicyContext> = {}) {
    const reference = parseImageReference(`docker://127.0.0.1:5000/coco/${repoAndTag}`)
    const source = new LayoutSource(dir, 'v1')
    return evaluatePolicy(
      { policy: parsePolicy(policy), registries: fixtureRegistries(), ...ctx },
      { reference, source, manifest: await source.getManifest() },
    )
  }

  test('with the vector key and payload fields, the .sig manifest matches skopeo’s except the ECDSA signature', async () => {
    const result = await signImage({
      source: new LayoutSource(dir, 'v1'),
      destination: new LayoutDestination(dir),
      identity: '127.0.0.1:5000/coco/signed-sigstore:v1',
      privateKey: vectorKey,
      creator: 'containers/image 5.29.4',
      now: () => new Date(1795414735 * 1000),
    })
    assert.equal(result.manifestDigest, PLAIN_DIGEST)
    assert.equal(result.signatureTag, `sha256-${PLAIN_DIGEST.slice(7)}.sig`)
    assert.deepEqual(
      result.payload,
      fixtureBytes(`${VECTOR_SIG}e613a367d8ad36bf583cd125ca0e14557f5183bdcf2c87f24b2a470b5a5ccfb9`),
    )
    const ours = await new LayoutSource(dir).getManifest(result.signatureTag)
    assert.equal(ours.digest, result.signatureManifestDigest)
    const theirs = fixtureBytes(
      `${VECTOR_SIG}3fbd8cca5699de54c10e72f5ec7a49d8d3051367deb2b475488a0772bad9da9b`,
    ).toString('utf8')
    const strip = (s: string): string =>
      s.replace(/"dev\.cosignproject\.cosign\/signature":"[^"]+"/, '"dev.cosignproject.cosign/signature":"…"')
    assert.equal(strip(ours.bytes.toString('utf8')), strip(theirs))
    // same config blob, byte for byte
    assert.deepEqual(
      await readFile(join(dir, 'blobs/sha256/b841c043f018779a4a147454996e9984dbc11f3b40b0b6efebfb4396e8e806b7')),
      fixtureBytes(`${VECTOR_SIG}b841c043f018779a4a147454996e9984dbc11f3b40b0b6efebfb4396e8e806b7`),
    )
  })

  test('our signature is accepted by the vector policy and refused with the wrong key', async () => {
    const d = await verifyDocker(fixtureBytes('policy/policy.json').toString('utf8'))
    assert.equal(d.accepted[0]?.dockerReference, '127.0.0.1:5000/coco/signed-sigstore:v1')
    await assert.rejects(verifyDocker(fixtureBytes('policy/policy-wrongkey.json').toString('utf8')), {
      code: 'INVALID_SIGNATURE',
    })
    await assert.rejects(verifyDocker(fixtureBytes('policy/policy.json').toString('utf8'), 'signed-sigstore:v2'), {
      code: 'IDENTITY_MISMATCH',
    })
  })

  test('Ed25519, RSA and P-384 signatures are appended to the same .sig manifest; each key verifies its own', async () => {
    const pairs = [
      generateKeyPairSync('ed25519'),
      generateKeyPairSync('rsa', { modulusLength: 2048 }),
      generateKeyPairSync('ec', { namedCurve: 'P-384' }),
    ]
    for (const { privateKey } of pairs) {
      await signImage({
        source: new LayoutSource(dir, 'v1'),
        destination: new LayoutDestination(dir),
        identity: '127.0.0.1:5000/coco/multi',
        privateKey,
      })
    }
    const sig = await new LayoutSource(dir).getManifest(sigstoreAttachmentTag(PLAIN_DIGEST))
    const parsed = parseManifest(sig.bytes, sig.mediaType)
    assert.equal(parsed.kind === 'manifest' ? parsed.manifest.layers.length : 0, 4)
    for (const { publicKey } of pairs) {
      const d = await verifyDocker(
        sigstorePolicy(publicKey, '{"type":"matchRepository"}', '127.0.0.1:5000/coco/multi'),
        'multi:latest',
      )
      assert.equal(d.accepted[0]?.dockerReference, '127.0.0.1:5000/coco/multi')
    }
    // a repository-only identity is refused by the default rule, with every signature's reason
    await assert.rejects(
      verifyDocker(
        sigstorePolicy(
          pairs[0]?.publicKey as KeyObject,
          '{"type":"matchRepoDigestOrExact"}',
          '127.0.0.1:5000/coco/multi',
        ),
        'multi:latest',
      ),
      (e: unknown) =>
        e instanceof SignatureError &&
        e.code === 'NO_ACCEPTED_SIGNATURE' &&
        /None of the signatures were accepted, reasons: .*; /.test(e.message),
    )
    // Ed25519 is deterministic: signing the same payload again adds no layer
    await signImage({
      source: new LayoutSource(dir, 'v1'),
      destination: new LayoutDestination(dir),
      identity: '127.0.0.1:5000/coco/multi',
      privateKey: pairs[0]?.privateKey as KeyObject,
    })
    const again = await new LayoutSource(dir).getManifest(sigstoreAttachmentTag(PLAIN_DIGEST))
    assert.deepEqual(again.bytes, sig.bytes)
  })

  test('oci: layouts: the .sig tag lives in the layout; only exactReference/exactRepository can accept', async () => {
    const reference = parseImageReference(`oci:${dir}:v1`)
    const source = new LayoutSource(dir, 'v1')
    const manifest = await source.getManifest()
    const pub = fixtureBytes('keys/sigstore.pub')
    const scope = '' // the transport default: any layout
    const ok = parsePolicy(
      sigstorePolicy(
        pub,
        '{"type":"exactReference","dockerReference":"127.0.0.1:5000/coco/signed-sigstore:v1"}',
        scope,
        'oci',
      ),
    )
    const d = await evaluatePolicy({ policy: ok }, { reference, source, manifest })
    assert.equal(d.scope, 'oci default')
    const repo = parsePolicy(
      sigstorePolicy(
        pub,
        '{"type":"exactRepository","dockerRepository":"127.0.0.1:5000/coco/signed-sigstore"}',
        scope,
        'oci',
      ),
    )
    assert.equal((await evaluatePolicy({ policy: repo }, { reference, source, manifest })).accepted.length, 1)
    const byIntent = parsePolicy(sigstorePolicy(pub, '{"type":"matchRepoDigestOrExact"}', scope, 'oci'))
    await assert.rejects(evaluatePolicy({ policy: byIntent }, { reference, source, manifest }), {
      code: 'NO_ACCEPTED_SIGNATURE',
      message: /Signature for identity 127\.0\.0\.1:5000\/coco\/signed-sigstore:v1 is not accepted/,
    })
  })

  test('a manifest that is not the one the reference digest names is refused', async () => {
    const reference = parseImageReference(`docker://127.0.0.1:5000/coco/signed-sigstore@sha256:${'0'.repeat(64)}`)
    const source = new LayoutSource(dir, 'v1')
    await assert.rejects(
      evaluatePolicy(
        { policy: fixturePolicy('policy.json'), registries: fixtureRegistries() },
        { reference, source, manifest: await source.getManifest() },
      ),
      { code: 'DIGEST_MISMATCH' },
    )
  })
})

describe('readSigningKey', () => {
  test('encrypted cosign key: wrong or missing passphrase, tampered envelope', () => {
    const pem = fixtureBytes('keys/sigstore.private')
    assert.throws(() => readSigningKey(pem, 'wrong'), { code: 'INVALID_KEY', message: /wrong passphrase/ })
    assert.throws(() => readSigningKey(pem), { code: 'INVALID_KEY', message: /needs a passphrase/ })
    const sigstoreLabel = pem.toString('utf8').replaceAll('COSIGN', 'SIGSTORE')
    assert.equal(readSigningKey(sigstoreLabel, 'coco-test-pass').asymmetricKeyType, 'ec')
    const body = JSON.parse(
      Buffer.from(pem.toString('utf8').split('\n').slice(1, -2).join(''), 'base64').toString('utf8'),
    ) as {
      kdf: { params: { N: number } }
    }
    body.kdf.params.N = 1 << 24
    const huge = `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n${Buffer.from(JSON.stringify(body)).toString('base64')}\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n`
    assert.throws(() => readSigningKey(huge, 'coco-test-pass'), { code: 'INVALID_KEY', message: /scrypt parameters/ })
  })

  test('plain PKCS#8 PEM keys; garbage refused', () => {
    const k = readSigningKey(fixtureBytes('keys/cosign-ed25519-priv.pem'))
    assert.equal(k.asymmetricKeyType, 'ed25519')
    assert.throws(() => readSigningKey('nothing here'), { code: 'INVALID_KEY' })
    assert.throws(() => readSigningKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), {
      code: 'INVALID_KEY',
    })
    assert.ok(fixture('keys/').endsWith('/keys/'))
  })
})
