import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { describe, test } from 'node:test'
import { sha256Digest } from '../manifest/digest.ts'
import type { BlobInfo, ImageSource, RawManifest } from '../manifest/image-transport.ts'
import { DOCKER_MANIFEST, OCI_MANIFEST } from '../manifest/media-types.ts'
import { OciError } from '../reference/oci-error.ts'
import { parseImageReference } from '../reference/image-reference.ts'
import { evaluatePolicy } from './policy-evaluate.ts'
import {
  COSIGN_SIGNATURE_ANNOTATION,
  COSIGN_SIMPLESIGNING_MEDIA_TYPE,
  sigstoreAttachmentTag,
} from './sigstore-attachments.ts'
import { fixtureBytes, fixturePolicy, fixtureRegistries, PLAIN_DIGEST } from './test-support.ts'

const MANIFEST = fixtureBytes(`layouts/signed-sigstore/blobs/sha256/${PLAIN_DIGEST.slice(7)}`)
const PAYLOAD = fixtureBytes(
  'layouts/signed-sigstore/blobs/sha256/e613a367d8ad36bf583cd125ca0e14557f5183bdcf2c87f24b2a470b5a5ccfb9',
)
const SIGNATURE = 'MEUCIEiL6yJSAGaJliILct+9CxLWCO/MJLG1HTpeRHIgHgtrAiEAq0R9Ef96MWVqATVYKkn4rQ6OGzRCfGmZ/JaIDTxEqF4='

/** An in-memory repository: the plain image plus a hand-built `.sig` manifest and blobs. */
class FakeSource implements ImageSource {
  readonly name = 'fake'
  readonly #blobs = new Map<string, Buffer>()
  readonly #sig: RawManifest | undefined
  constructor(
    layers: Array<{ mediaType?: string; payload: Buffer; annotations?: Record<string, string>; size?: number }>,
    sigMediaType = OCI_MANIFEST,
  ) {
    if (layers.length === 0) {
      this.#sig = undefined
      return
    }
    const descriptors = layers.map((l) => {
      const digest = sha256Digest(l.payload)
      this.#blobs.set(digest, l.payload)
      return {
        mediaType: l.mediaType ?? COSIGN_SIMPLESIGNING_MEDIA_TYPE,
        digest,
        size: l.size ?? l.payload.length,
        annotations: l.annotations ?? { [COSIGN_SIGNATURE_ANNOTATION]: SIGNATURE },
      }
    })
    const config = {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha256Digest(Buffer.from('{}')),
      size: 2,
    }
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: sigMediaType, config, layers: descriptors }),
    )
    this.#sig = { bytes, mediaType: sigMediaType, digest: sha256Digest(bytes) }
  }
  getManifest(ref?: string): Promise<RawManifest> {
    if (ref === undefined || ref === 'v1')
      return Promise.resolve({ bytes: MANIFEST, mediaType: OCI_MANIFEST, digest: PLAIN_DIGEST })
    if (ref === sigstoreAttachmentTag(PLAIN_DIGEST) && this.#sig !== undefined) return Promise.resolve(this.#sig)
    return Promise.reject(new OciError('NOT_FOUND', `no ${ref}`))
  }
  getBlob(blob: BlobInfo): Promise<Readable> {
    const bytes = this.#blobs.get(blob.digest)
    if (bytes === undefined) return Promise.reject(new OciError('NOT_FOUND', `no ${blob.digest}`))
    return Promise.resolve(Readable.from([bytes]))
  }
  listTags(): Promise<string[]> {
    return Promise.resolve(['v1'])
  }
  close(): Promise<void> {
    return Promise.resolve()
  }
}

async function verify(source: FakeSource) {
  const reference = parseImageReference('docker://127.0.0.1:5000/coco/signed-sigstore:v1')
  return evaluatePolicy(
    { policy: fixturePolicy('policy.json'), registries: fixtureRegistries() },
    { reference, source, manifest: await source.getManifest() },
  )
}

describe('sigstore attachments read through an ImageSource', () => {
  test('the skopeo signature rebuilt in memory is accepted', async () => {
    assert.equal((await verify(new FakeSource([{ payload: PAYLOAD }]))).accepted.length, 1)
  })

  test('crypto comes first: a changed payload fails the signature, even when it is not JSON', async () => {
    const changed = Buffer.from(PAYLOAD.toString('utf8').replace(':v1"', ':v2"'))
    await assert.rejects(verify(new FakeSource([{ payload: changed }])), { code: 'INVALID_SIGNATURE' })
    await assert.rejects(verify(new FakeSource([{ payload: Buffer.from('not json') }])), { code: 'INVALID_SIGNATURE' })
  })

  test('missing or non-base64 signature annotation', async () => {
    await assert.rejects(verify(new FakeSource([{ payload: PAYLOAD, annotations: {} }])), {
      code: 'INVALID_SIGNATURE',
      message: /has no dev\.cosignproject\.cosign\/signature/,
    })
    await assert.rejects(
      verify(new FakeSource([{ payload: PAYLOAD, annotations: { [COSIGN_SIGNATURE_ANNOTATION]: '@@' } }])),
      {
        code: 'INVALID_SIGNATURE',
        message: /not valid base64/,
      },
    )
  })

  test('layers of other media types are not signatures; no .sig tag is no signature', async () => {
    await assert.rejects(verify(new FakeSource([{ payload: PAYLOAD, mediaType: 'application/octet-stream' }])), {
      code: 'NO_SIGNATURE',
    })
    await assert.rejects(verify(new FakeSource([])), { code: 'NO_SIGNATURE' })
  })

  test('a .sig manifest that is not an OCI manifest, or an oversized signature layer, is an error', async () => {
    await assert.rejects(verify(new FakeSource([{ payload: PAYLOAD }], DOCKER_MANIFEST)), {
      code: 'SIGNATURE_SOURCE',
      message: /unexpected MIME type/,
    })
    await assert.rejects(verify(new FakeSource([{ payload: PAYLOAD, size: 5 * 1024 * 1024 }])), {
      code: 'SIGNATURE_SOURCE',
      message: /over 4194304/,
    })
  })

  test('one good signature among bad ones is enough', async () => {
    const d = await verify(new FakeSource([{ payload: Buffer.from('garbage') }, { payload: PAYLOAD }]))
    assert.equal(d.accepted[0]?.dockerReference, '127.0.0.1:5000/coco/signed-sigstore:v1')
  })
})
