import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, test } from 'node:test'
import { LayoutSource } from '../layout/layout-source.ts'
import { jweKeyUnwrapper } from '../ocicrypt/jwe-key-wrapper.ts'
import { parsePrivateKey } from '../ocicrypt/key-material.ts'
import { parseOciLayoutReference } from '../reference/image-reference.ts'
import { cdhKeyUnwrapper } from './cdh-resources.ts'
import { pullImage } from './pull-image.ts'
import { acceptAnything, removeScratchDirs, scratchDir } from './test-image.ts'

// The skopeo-made layouts of the ocicrypt fixtures (vectors/oci, see fixtures/ocicrypt/README.md)
// pulled end to end: every file the MANIFEST lists with content is in the rootfs.

const FIXTURES = fileURLToPath(new URL('../../fixtures/ocicrypt/', import.meta.url))
const key = (name: string): Promise<Buffer> => readFile(join(FIXTURES, 'keys', name))

interface ExpectedFile {
  readonly name: string
  readonly type: string
  readonly content?: string
}
interface Expected {
  readonly manifests: readonly { readonly layers: readonly { readonly files?: readonly ExpectedFile[] }[] }[]
}

async function expectedFiles(layout: string): Promise<Map<string, string>> {
  const expected = JSON.parse(await readFile(join(FIXTURES, 'layouts', `${layout}.expected.json`), 'utf8')) as Expected
  const files = new Map<string, string>()
  for (const layer of expected.manifests[0]?.layers ?? []) {
    for (const f of layer.files ?? []) {
      if (f.type === '0' && f.content !== undefined) files.set(f.name, f.content)
    }
  }
  return files
}

async function unwrappers() {
  const kek = await key('coco-kek.bin')
  return [
    jweKeyUnwrapper([parsePrivateKey(await key('jwe-rsa-priv.pem')), parsePrivateKey(await key('jwe-ec-priv.pem'))]),
    cdhKeyUnwrapper((uri) => {
      assert.equal(uri, 'kbs:///default/image-kek/coco-test')
      return Promise.resolve(kek)
    }),
  ]
}

async function pullLayout(layout: string, dest: string) {
  const dir = join(FIXTURES, 'layouts', layout)
  return pullImage({
    source: new LayoutSource(dir, 'v1'),
    reference: parseOciLayoutReference(`${dir}:v1`),
    dest,
    policy: { policy: acceptAnything() },
    unwrappers: await unwrappers(),
  })
}

after(removeScratchDirs)

describe('pullImage on skopeo-encrypted layouts', () => {
  for (const layout of ['enc-jwe-rsa', 'enc-jwe-ec', 'enc-jwe-lastlayer', 'enc-coco-grpc', 'ours-enc']) {
    test(`${layout}: decrypted and unpacked, files as recorded`, async () => {
      const files = await expectedFiles(layout)
      assert.ok(files.size > 0)
      const dest = join(await scratchDir(), 'out')
      await pullLayout(layout, dest)
      for (const [name, content] of files) {
        assert.equal(await readFile(join(dest, 'rootfs', name), 'utf8'), content, name)
      }
    })
  }

  test('enc-kp-cmd (provider.stub, not configured): NO_KEY_FOR_LAYER, nothing left', async () => {
    const dir = await scratchDir()
    await assert.rejects(pullLayout('enc-kp-cmd', join(dir, 'out')), { code: 'NO_KEY_FOR_LAYER' })
    assert.deepEqual(await readdir(dir), [])
  })

  test('tampered-hmac: refused, nothing left', async () => {
    const dir = await scratchDir()
    await assert.rejects(pullLayout('tampered-hmac', join(dir, 'out')), { code: 'HMAC_MISMATCH' })
    assert.deepEqual(await readdir(dir), [])
  })
})
