import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError } from '../assert-protocol-error.ts'
import { resolveJsonPointer } from './json-pointer.ts'
import { teePubKeyFromClaims } from './tee-pubkey-claims.ts'

const ec = (x: string) => ({ kty: 'EC', crv: 'P-256', alg: 'ECDH-ES+A256KW', x, y: 'Y' })

function earClaims(key: unknown) {
  return {
    submods: { cpu0: { 'ear.veraison.annotated-evidence': { runtime_data_claims: { 'tee-pubkey': key } } } },
  }
}

describe('teePubKeyFromClaims', () => {
  it('finds the key of an EAR token and drops unknown members', () => {
    const key = teePubKeyFromClaims(earClaims({ ...ec('ear'), use: 'enc' }))
    assert.deepEqual(key, ec('ear'))
  })

  it('tries extra paths first, then the built-ins in upstream order', () => {
    const claims = {
      ...earClaims(ec('ear')),
      'tee-pubkey': ec('bare'),
      customized_claims: { runtime_data: { 'tee-pubkey': ec('coco') } },
      tdx: { attester_user_data: { 'tee-pubkey': ec('ita-vtpm') } },
      mine: { key: ec('extra') },
    }
    assert.equal((teePubKeyFromClaims(claims, ['/mine/key']) as { x: string }).x, 'extra')
    assert.equal((teePubKeyFromClaims(claims, ['/absent']) as { x: string }).x, 'ita-vtpm')
    const withoutTdx = { ...earClaims(ec('ear')), customized_claims: claims.customized_claims }
    assert.equal((teePubKeyFromClaims(withoutTdx) as { x: string }).x, 'coco')
    assert.equal((teePubKeyFromClaims({ 'tee-pubkey': ec('bare') }) as { x: string }).x, 'bare')
    assert.equal(
      (
        teePubKeyFromClaims({ tdx: { attester_runtime_data: { 'tee-pubkey': ec('ita') } }, ...earClaims(ec('e')) }) as {
          x: string
        }
      ).x,
      'ita',
    )
  })

  it('returns undefined when no path resolves', () => {
    assert.equal(teePubKeyFromClaims({ submods: { cpu0: {} } }), undefined)
    assert.equal(teePubKeyFromClaims('token'), undefined)
  })

  it('fails on the first resolving path when its value is not a key (no fallback)', () => {
    const claims = { ...earClaims({ kty: 'EC' }), 'tee-pubkey': ec('bare') }
    assertProtocolError(() => teePubKeyFromClaims(claims), 'MALFORMED', 'runtime_data_claims/tee-pubkey')
    assertProtocolError(() => teePubKeyFromClaims({ 'tee-pubkey': null }), 'MALFORMED', 'claims/tee-pubkey')
  })
})

describe('resolveJsonPointer', () => {
  const doc = { a: [10, { 'b/c': 1, 'm~n': 2, '': 3 }], '0': 'zero' }

  it('follows RFC 6901', () => {
    assert.deepEqual(resolveJsonPointer(doc, ''), doc)
    assert.equal(resolveJsonPointer(doc, '/a/0'), 10)
    assert.equal(resolveJsonPointer(doc, '/a/1/b~1c'), 1)
    assert.equal(resolveJsonPointer(doc, '/a/1/m~0n'), 2)
    assert.equal(resolveJsonPointer(doc, '/a/1/'), 3)
    assert.equal(resolveJsonPointer(doc, '/0'), 'zero')
  })

  it('finds nothing for bad pointers, indices and missing members', () => {
    for (const pointer of ['a', '/a/01', '/a/-', '/a/2', '/a/+1', '/x', '/a/0/x', '/toString', '/a/length']) {
      assert.equal(resolveJsonPointer(doc, pointer), undefined, pointer)
    }
  })
})
