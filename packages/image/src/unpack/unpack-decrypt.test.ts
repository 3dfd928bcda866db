// The guest pipeline end of unpack: an ocicrypt-decrypted layer streams straight into unpackLayers,
// gated by the decryptor's `verified` promise (vectors made by skopeo, see fixtures/unpack/README.md).
import assert from 'node:assert/strict'
import { createReadStream } from 'node:fs'
import { readFile, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import {
  decryptLayer,
  jweKeyUnwrapper,
  OcicryptError,
  parsePrivateKey,
  type LayerDescriptor,
} from '../ocicrypt/index.ts'
import { unpackLayers, type LayerToUnpack } from './unpack-layers.ts'
import { listTree, scratch } from './unpack-test-support.ts'

const ENC = fileURLToPath(new URL('../../fixtures/unpack/enc/', import.meta.url))
const DIFF_ID = 'sha256:0248448c51190a326a20e6777c9d27cde89d2592a8fd4c0392d3dae43e61842e'
const dirs: string[] = []
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function decrypted(name: string): Promise<LayerToUnpack> {
  const manifest = JSON.parse(await readFile(join(ENC, `${name}.manifest.json`), 'utf8')) as {
    layers: LayerDescriptor[]
  }
  const descriptor = manifest.layers[0]!
  const key = parsePrivateKey(await readFile(join(ENC, 'jwe-rsa-priv.pem')))
  const layer = await decryptLayer(descriptor, [jweKeyUnwrapper([key])])
  pipeline(createReadStream(join(ENC, `${name}.layer`)), layer.stream, () => {
    // a failure reaches unpackLayers through the decrypt stream
  })
  return { mediaType: layer.mediaType, stream: layer.stream, diffId: DIFF_ID, verified: layer.verified }
}

describe('unpackLayers after ocicrypt decryption', () => {
  test('skopeo JWE (RSA-OAEP) layer decrypts and unpacks', async () => {
    const { dir, dest } = await scratch()
    dirs.push(dir)
    await unpackLayers([await decrypted('enc-jwe-rsa')], dest)
    assert.deepEqual(await listTree(dest), ['data d', 'data/secret.txt f', 'etc d', 'etc/hostname f', 'hello.txt f'])
    assert.equal(await readFile(join(dest, 'data/secret.txt'), 'utf8'), 'secret-payload-42\n')
  })

  test('a tampered layer (HMAC) leaves nothing on disk', async () => {
    const { dir, dest } = await scratch()
    dirs.push(dir)
    await assert.rejects(unpackLayers([await decrypted('tampered-hmac')], dest), (e: unknown) => {
      assert.ok(e instanceof OcicryptError, String(e))
      assert.equal(e.code, 'HMAC_MISMATCH')
      return true
    })
    assert.deepEqual(await readdir(dir), [])
  })
})
