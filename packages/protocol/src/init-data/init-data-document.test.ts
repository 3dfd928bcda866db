import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError } from '../assert-protocol-error.ts'
import { readFixtureBytes, readFixtureJson, readFixtureText } from '../fixture-path.ts'
import { initDataDigest, parseInitData, regularize } from './init-data-document.ts'

type Expected = Record<string, string | number>
const vectors = (readFixtureJson('derived/sealed-secret-keyprovider-initdata.json') as Record<string, unknown>)[
  'initdata'
] as Record<string, Expected>

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

const FILES: [string, string][] = [
  ['derived/initdata/example-sha256.toml', 'example-sha256.toml'],
  ['derived/initdata/example-sha384.toml', 'example-sha384.toml'],
  ['derived/initdata/example-sha512.toml', 'example-sha512.toml'],
  ['upstream-trustee/init-data-with-policy.toml', 'trustee/integration-tests/tests/init-data-with-policy.toml'],
]

describe('init-data digests', () => {
  for (const [file, key] of FILES) {
    it(`matches the vector for ${file}`, () => {
      const expected = vectors[key]
      assert.ok(expected)
      const text = readFixtureText(file)
      assert.equal(Buffer.byteLength(text, 'utf8'), expected['bytes_len'])
      const doc = parseInitData(text)
      assert.equal(doc.algorithm, expected['algorithm'])
      const digest = initDataDigest(text, doc.algorithm)
      assert.equal(hex(digest), expected['digest_hex'])
      assert.equal(Buffer.from(digest).toString('base64'), expected['digest_b64'])
      assert.equal(hex(initDataDigest(readFixtureBytes(file), doc.algorithm)), expected['digest_hex'])
      assert.equal(hex(regularize(digest, 32)), expected['snp_hostdata_32_hex'])
      assert.equal(hex(regularize(digest, 48)), expected['tdx_mrconfigid_48_hex'])
      assert.equal(hex(regularize(digest, 64)), expected['cca_rpv_64_hex'])
    })
  }

  it("gives Trustee's stated sha256 for its policy TOML", () => {
    const text = readFixtureText('upstream-trustee/init-data-with-policy.toml')
    assert.equal(
      hex(initDataDigest(text, 'sha256')),
      '0deccded0d87ec44702c7330fac3eb936b68dcca5c9f6b5df1fb3480c0b525ac',
    )
  })

  it('changes with any byte of the text', () => {
    const text = readFixtureText('derived/initdata/example-sha256.toml')
    assert.notEqual(hex(initDataDigest(`${text}\n`, 'sha256')), hex(initDataDigest(text, 'sha256')))
  })
})

describe('regularize', () => {
  it('pads with zeros, truncates, and copies', () => {
    const digest = Uint8Array.from([1, 2, 3])
    assert.deepEqual(regularize(digest, 5), Uint8Array.from([1, 2, 3, 0, 0]))
    assert.deepEqual(regularize(digest, 2), Uint8Array.from([1, 2]))
    const same = regularize(digest, 3)
    assert.deepEqual(same, digest)
    assert.notEqual(same, digest)
  })

  it('rejects sizes that are not byte counts', () => {
    assertProtocolError(() => regularize(new Uint8Array(1), -1), 'MALFORMED', 'regularize')
    assertProtocolError(() => regularize(new Uint8Array(1), 1.5), 'MALFORMED', 'regularize')
  })
})

describe('parseInitData', () => {
  it('reads version, algorithm and data, ignoring other keys', () => {
    const doc = parseInitData('version = "0.1.0"\nalgorithm = "sha384"\nextra = 1\n[data]\n"a.txt" = "x"\n')
    assert.deepEqual(doc, { version: '0.1.0', algorithm: 'sha384', data: { 'a.txt': 'x' } })
    assert.deepEqual(parseInitData("version = '0.1.0'\nalgorithm = 'sha512'\n[data]\n").data, {})
  })

  it('keeps a __proto__ file name as an ordinary entry', () => {
    const doc = parseInitData('version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"__proto__" = "x"\n')
    assert.equal(Object.getOwnPropertyDescriptor(doc.data, '__proto__')?.value, 'x')
  })

  it('rejects malformed documents naming the field', () => {
    const head = 'version = "0.1.0"\nalgorithm = "sha256"\n'
    assertProtocolError(() => parseInitData('version = '), 'MALFORMED', 'invalid TOML')
    assertProtocolError(() => parseInitData('algorithm = "sha256"\n[data]\n'), 'MALFORMED', 'init-data.version')
    assertProtocolError(
      () => parseInitData('version = 1\nalgorithm = "sha256"\n[data]\n'),
      'MALFORMED',
      'init-data.version',
    )
    assertProtocolError(() => parseInitData('version = "0.1.0"\n[data]\n'), 'MALFORMED', 'init-data.algorithm')
    assertProtocolError(() => parseInitData(head), 'MALFORMED', 'init-data.data')
    assertProtocolError(() => parseInitData(`${head}data = "x"\n`), 'MALFORMED', 'init-data.data')
    assertProtocolError(() => parseInitData(`${head}data = []\n`), 'MALFORMED', 'init-data.data')
    assertProtocolError(() => parseInitData(`${head}[data]\n"a" = 1\n`), 'MALFORMED', 'init-data.data."a"')
    assertProtocolError(() => parseInitData(`${head}[data.sub]\n"a" = "b"\n`), 'MALFORMED', 'init-data.data."sub"')
  })

  it('rejects other versions and algorithms', () => {
    for (const version of ['0.2.0', '0.1', '']) {
      assertProtocolError(
        () => parseInitData(`version = "${version}"\nalgorithm = "sha256"\n[data]\n`),
        'UNSUPPORTED_VERSION',
        'init-data.version',
      )
    }
    for (const algorithm of ['sha-256', 'SHA256', 'sm3', 'md5', '']) {
      assertProtocolError(
        () => parseInitData(`version = "0.1.0"\nalgorithm = "${algorithm}"\n[data]\n`),
        'UNSUPPORTED_ALGORITHM',
        'init-data.algorithm',
      )
    }
  })
})
