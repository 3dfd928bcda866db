import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeAllPem, decodePem, encodePem } from './pem.ts'

describe('Go PEM decoding', () => {
  it('round-trips blocks and returns the rest', () => {
    const text = encodePem('TEST', Buffer.from('hello')) + 'trailer'
    const { block, rest } = decodePem(Buffer.from(text))
    assert.ok(block)
    assert.equal(block.type, 'TEST')
    assert.equal(block.bytes.toString(), 'hello')
    assert.equal(rest.toString(), 'trailer')
  })

  it('reads headers, skips malformed candidates and reports no block', () => {
    const withHeader = '-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\naGk=\n-----END X-----\n'
    assert.equal(decodePem(Buffer.from(withHeader)).block?.headers.get('Proc-Type'), '4,ENCRYPTED')
    const broken = '-----BEGIN A-----\n!!\n-----END A-----\n' + encodePem('B', Buffer.from('ok'))
    assert.deepEqual(
      decodeAllPem(Buffer.from(broken)).map((b) => b.type),
      ['B'],
    )
    const none = decodePem(Buffer.from('no pem here'))
    assert.equal(none.block, undefined)
    assert.equal(none.rest.toString(), 'no pem here')
  })
})
