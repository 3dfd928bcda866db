import assert from 'node:assert/strict'
import { mkdtemp, mkdir, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { parseImageReference } from '../reference/image-reference.ts'
import { parsePolicy } from './policy-parse.ts'
import { policyScopesFor, requirementsFor } from './policy-scope.ts'
import { SignatureError } from './signature-error.ts'
import { fixturePolicy } from './test-support.ts'

function invalid(text: string, message: RegExp): void {
  assert.throws(
    () => parsePolicy(text),
    (e: unknown) => e instanceof SignatureError && e.code === 'INVALID_POLICY' && message.test(e.message),
  )
}

const ACCEPT = '[{"type":"insecureAcceptAnything"}]'
const KEY_B64 = Buffer.from('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n').toString('base64')

describe('parsePolicy: strictness', () => {
  test('the vector policies parse', () => {
    for (const name of [
      'policy.json',
      'policy-matchrepository.json',
      'policy-wrongkey.json',
      'policy-cosign-exact.json',
      'policy-gpg-wrongkey.json',
    ]) {
      const p = fixturePolicy(name)
      assert.equal(p.default[0]?.type, 'reject')
      assert.equal(p.transports.get('docker')?.size, 7)
    }
    const sig = fixturePolicy('policy.json').transports.get('docker')?.get('127.0.0.1:5000/coco/signed-gpg-rsa')?.[0]
    assert.ok(sig?.type === 'signedBy')
    assert.deepEqual(sig.signedIdentity, { type: 'matchRepoDigestOrExact' })
  })

  test('missing default, empty lists, not an object', () => {
    invalid('{}', /Default policy is missing/)
    invalid('{"default":[]}', /List of verification policy requirements must not be empty/)
    invalid(`{"default":${ACCEPT},"transports":{"docker":{"a.example/x":[]}}}`, /must not be empty/)
    invalid('[]', /must be a JSON object/)
    invalid('{"default":', /invalid JSON/)
    invalid('{"default":{}}', /must be a list/)
  })

  test('unknown and duplicate fields anywhere', () => {
    invalid(`{"default":${ACCEPT},"extra":1}`, /Unknown key "extra"/)
    invalid(`{"default":${ACCEPT},"default":${ACCEPT}}`, /duplicate key "default"/)
    invalid('{"default":[{"type":"reject","x":1}]}', /Unknown key "x"/)
    invalid('{"default":[{"type":"reject","type":"reject"}]}', /duplicate key "type"/)
    invalid(
      `{"default":[{"type":"sigstoreSigned","keyData":"${KEY_B64}","signedIdentity":{"type":"matchExact","x":1}}]}`,
      /Unknown key "x"/,
    )
    invalid('{"default":[{"type":"nope"}]}', /Unknown policy requirement type "nope"/)
    invalid('{"default":[{}]}', /missing "type"/)
  })

  test('duplicate detection is not fooled by escapes or braces inside strings', () => {
    const p = parsePolicy(
      `{"default":${ACCEPT},"transports":{"x":{"a\\"}{,[":${ACCEPT},"b":${ACCEPT}},"y":{"a\\"}{,[":${ACCEPT}}}}`,
    )
    assert.equal(p.transports.get('x')?.size, 2)
    invalid(`{"default":${ACCEPT},"transports":{"x":{"a":${ACCEPT},"\\u0061":${ACCEPT}}}}`, /duplicate key "a"/)
  })

  test('signedBy: keyType and exactly one key source', () => {
    invalid('{"default":[{"type":"signedBy","keyPath":"/k"}]}', /keyType is missing/)
    invalid('{"default":[{"type":"signedBy","keyType":"PGP","keyPath":"/k"}]}', /Unknown key type "PGP"/)
    invalid('{"default":[{"type":"signedBy","keyType":"GPGKeys"}]}', /exactly one of keyPath, keyPaths and keyData/)
    invalid('{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","keyData":"AAAA"}]}', /only one of/)
    invalid('{"default":[{"type":"signedBy","keyType":"GPGKeys","keyDatas":["AAAA"]}]}', /Unknown key "keyDatas"/)
    invalid('{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"not base64!"}]}', /not valid base64/)
    const p = parsePolicy('{"default":[{"type":"signedBy","keyType":"X509Certificates","keyPaths":["/a","/b"]}]}')
    const r = p.default[0]
    assert.ok(r?.type === 'signedBy')
    assert.deepEqual(r.keys, [{ path: '/a' }, { path: '/b' }])
  })

  test('sigstoreSigned: one of keys/fulcio/pki; rekor rules', () => {
    invalid(
      '{"default":[{"type":"sigstoreSigned"}]}',
      /exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki/,
    )
    invalid(`{"default":[{"type":"sigstoreSigned","keyPath":"/k","keyDatas":["${KEY_B64}"]}]}`, /only one of/)
    const fulcio = '{"caPath":"/ca","oidcIssuer":"https://issuer","subjectEmail":"a@b"}'
    invalid(`{"default":[{"type":"sigstoreSigned","fulcio":${fulcio}}]}`, /fulcio requires a rekor public key/)
    invalid(
      `{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/ca","oidcIssuer":"x"},"rekorPublicKeyPath":"/r"}]}`,
      /subjectEmail/,
    )
    invalid('{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r"}}]}', /subjectEmail and subjectHostname/)
    invalid(
      '{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","subjectEmail":"a@b"},"rekorPublicKeyPath":"/r"}]}',
      /cannot be used with pki/,
    )
    const p = parsePolicy(
      `{"default":[{"type":"sigstoreSigned","fulcio":${fulcio},"rekorPublicKeyData":"${KEY_B64}"}]}`,
    )
    assert.equal(p.default[0]?.type, 'sigstoreSigned')
    const q = parsePolicy(
      `{"default":[{"type":"sigstoreSigned","keyDatas":["${KEY_B64}","${KEY_B64}"],"signedIdentity":{"type":"matchRepository"}}]}`,
    )
    const r = q.default[0]
    assert.equal(r?.type === 'sigstoreSigned' ? r.keys?.length : 0, 2)
  })

  test('signedBaseLayer loads (its baseLayerIdentity is a signedIdentity), as containers/image parses it', () => {
    const policy = parsePolicy(
      '{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"exactRepository","dockerRepository":"quay.io/base"}}]}',
    )
    assert.deepEqual(policy.default, [
      { type: 'signedBaseLayer', baseLayerIdentity: { type: 'exactRepository', dockerRepository: 'quay.io/base' } },
    ])
    invalid('{"default":[{"type":"signedBaseLayer"}]}', /baseLayerIdentity not specified/)
    invalid('{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"nope"}}]}', /nope/)
    invalid('{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"},"extra":1}]}', /extra/)
  })

  test('signedIdentity types and their parameters', () => {
    const with_ = (identity: string): string =>
      `{"default":[{"type":"sigstoreSigned","keyPath":"/k","signedIdentity":${identity}}]}`
    invalid(with_('{"type":"matchSomething"}'), /Unknown policy reference match type "matchSomething"/)
    invalid(with_('{"type":"exactReference"}'), /dockerReference is missing/)
    invalid(with_('{"type":"exactReference","dockerReference":"example.com/ns/repo"}'), /neither a tag nor a digest/)
    invalid(with_('{"type":"exactReference","dockerReference":"Bad/Upper:1"}'), /dockerReference/)
    invalid(with_('{"type":"exactRepository"}'), /dockerRepository is missing/)
    invalid(with_('{"type":"remapIdentity","prefix":"example.com/ns"}'), /signedPrefix is missing/)
    invalid(
      with_('{"type":"remapIdentity","prefix":"example.com/ns:tag","signedPrefix":"x.example"}'),
      /prefix "example.com\/ns:tag"/,
    )
    invalid(
      with_('{"type":"remapIdentity","prefix":"busybox/x","signedPrefix":"x.example"}'),
      /not a host or a repository/,
    )
    const p = parsePolicy(
      with_('{"type":"remapIdentity","prefix":"mirror.example:5000/ns","signedPrefix":"docker.io/library"}'),
    )
    const r = p.default[0]
    assert.deepEqual(r?.type === 'sigstoreSigned' ? r.signedIdentity : undefined, {
      type: 'remapIdentity',
      prefix: 'mirror.example:5000/ns',
      signedPrefix: 'docker.io/library',
    })
    const e = parsePolicy(with_('{"type":"exactReference","dockerReference":"busybox:1"}')).default[0]
    assert.deepEqual(e?.type === 'sigstoreSigned' ? e.signedIdentity : undefined, {
      type: 'exactReference',
      dockerReference: 'docker.io/library/busybox:1',
    })
  })

  test('docker and oci scopes are validated; unknown transports are kept', () => {
    const scoped = (transport: string, scope: string): string =>
      `{"default":${ACCEPT},"transports":{"${transport}":{"${scope}":${ACCEPT}}}}`
    for (const ok of [
      'example.com',
      'example.com:5000',
      'localhost',
      '*.example.com',
      'example.com/ns/repo',
      'example.com/ns/repo:tag',
      'docker.io/library/busybox',
    ]) {
      parsePolicy(scoped('docker', ok))
    }
    invalid(scoped('docker', 'busybox'), /non-canonical format, perhaps try docker.io\/library\/busybox/)
    invalid(scoped('docker', 'Example.com/UPPER'), /invalid scope/)
    invalid(scoped('docker', '*.'), /invalid scope/)
    invalid(scoped('oci', 'relative/dir'), /must be an absolute path/)
    invalid(scoped('oci', '/'), /generic default scope/)
    invalid(scoped('oci', '/a/../b'), /non-canonical path format/)
    parsePolicy(scoped('oci', '/srv/images'))
    assert.ok(parsePolicy(scoped('atomic', 'anything at all')).transports.has('atomic'))
  })
})

describe('requirementsFor: scope resolution', () => {
  const tag = (t: string): string => `[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/${t}"}]`
  const policy = parsePolicy(`{
    "default": [{"type":"reject"}],
    "transports": {
      "docker": {
        "example.com/ns/repo:v1": ${tag('exact')},
        "example.com/ns/repo": ${tag('repo')},
        "example.com/ns": ${tag('ns')},
        "example.com": ${tag('host')},
        "*.example.com": ${tag('wild-example')},
        "*.com": ${tag('wild-com')},
        "": ${tag('docker-default')}
      },
      "oci": { "/srv/images": ${tag('oci-dir')} }
    }
  }`)
  async function scopeOf(ref: string): Promise<string> {
    return requirementsFor(policy, await policyScopesFor(parseImageReference(ref))).scope
  }

  test('docker: exact, repository, namespace, host, wildcards, transport default', async () => {
    assert.equal(await scopeOf('docker://example.com/ns/repo:v1'), 'example.com/ns/repo:v1')
    assert.equal(await scopeOf('docker://example.com/ns/repo:v2'), 'example.com/ns/repo')
    assert.equal(await scopeOf('docker://example.com/ns/other/deep:v1'), 'example.com/ns')
    assert.equal(await scopeOf('docker://example.com/x:v1'), 'example.com')
    assert.equal(await scopeOf('docker://a.b.example.com/x:v1'), '*.example.com')
    assert.equal(await scopeOf('docker://registry.other.com:5000/x:v1'), '*.com')
    assert.equal(await scopeOf('docker://quay.io/x:v1'), 'docker default')
  })

  test('global default when the transport has no entry', async () => {
    const p = parsePolicy('{"default":[{"type":"reject"}]}')
    const found = requirementsFor(p, await policyScopesFor(parseImageReference('docker://busybox')))
    assert.equal(found.scope, 'default')
    assert.equal(found.requirements[0]?.type, 'reject')
  })

  test('oci: the resolved layout directory and its parents', async () => {
    const root = await mkdtemp(join(tmpdir(), 'carapace-scope-'))
    try {
      await mkdir(join(root, 'real', 'layout'), { recursive: true })
      await symlink(join(root, 'real'), join(root, 'link'))
      const scopes = await policyScopesFor(parseImageReference(`oci:${join(root, 'link', 'layout')}:v1`))
      assert.equal(scopes.transport, 'oci')
      assert.ok(scopes.scopes[0]?.endsWith('/real/layout'), scopes.scopes[0])
      assert.ok(scopes.scopes.every((s) => s !== '/'))
      const p = parsePolicy(
        `{"default":[{"type":"reject"}],"transports":{"oci":{"${scopes.scopes[1] ?? ''}":${ACCEPT}}}}`,
      )
      assert.equal(requirementsFor(p, scopes).requirements[0]?.type, 'insecureAcceptAnything')
      assert.equal(await scopeOf('oci:/srv/images/app:v1'), '/srv/images')
      assert.equal(await scopeOf('oci:/srv/images'), '/srv/images')
      assert.equal(await scopeOf('oci:/srv/other'), 'default')
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})
