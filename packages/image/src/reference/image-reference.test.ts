import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatImageReference, parseImageReference } from './image-reference.ts'
import { OciError } from './oci-error.ts'

const D = `sha256:${'b'.repeat(64)}`

function rejects(input: string, why: RegExp): void {
  assert.throws(
    () => parseImageReference(input),
    (e: unknown) => e instanceof OciError && e.code === 'INVALID_REFERENCE' && why.test(e.message),
  )
}

describe('parseImageReference', () => {
  test('docker:// defaults the tag to latest and normalizes', () => {
    const r = parseImageReference('docker://busybox')
    assert.equal(r.transport, 'docker')
    assert.equal(formatImageReference(r), 'docker://docker.io/library/busybox:latest')
    assert.equal(
      formatImageReference(parseImageReference('docker://127.0.0.1:5000/coco/plain:v1')),
      'docker://127.0.0.1:5000/coco/plain:v1',
    )
    const byDigest = parseImageReference(`docker://127.0.0.1:5000/coco/plain@${D}`)
    assert.ok(byDigest.transport === 'docker' && byDigest.ref.digest === D && byDigest.ref.tag === undefined)
  })

  test('oci: splits directory and tag at the first colon', () => {
    assert.deepEqual(parseImageReference('oci:/tmp/img:v1'), { transport: 'oci', dir: '/tmp/img', tag: 'v1' })
    assert.deepEqual(parseImageReference('oci:relative/dir'), { transport: 'oci', dir: 'relative/dir' })
    assert.deepEqual(parseImageReference('oci:dir:'), { transport: 'oci', dir: 'dir' })
    assert.equal(formatImageReference(parseImageReference('oci:/tmp/img:v1')), 'oci:/tmp/img:v1')
  })

  test('clear errors', () => {
    rejects('busybox', /expected docker:\/\/… or oci:…/)
    rejects('docker:busybox', /start with docker:\/\//)
    rejects('dir:/tmp/x', /unsupported transport "dir"/)
    rejects(`docker://quay.io/a:v1@${D}`, /both a tag and a digest/)
    rejects('docker://UPPER/case/Repo', /lowercase/)
    rejects('oci::v1', /no directory/)
    rejects('oci:/tmp/x:v1:extra', /invalid image name "v1:extra"/)
    rejects('oci:/tmp/x:bad/name', /invalid image name/)
  })
})
