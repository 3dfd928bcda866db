import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CborMap, CborTag, readCbor } from './cbor-reader.ts'
import { RvpsError } from './errors.ts'

function read(hex: string): unknown {
  return readCbor(Buffer.from(hex.replace(/\s+/g, ''), 'hex'))
}

function invalid(hex: string, message: RegExp): void {
  assert.throws(
    () => read(hex),
    (error: unknown) => error instanceof RvpsError && error.code === 'INVALID_PAYLOAD' && message.test(error.message),
    hex,
  )
}

test('RFC 8949 appendix A examples', () => {
  assert.equal(read('00'), 0)
  assert.equal(read('17'), 23)
  assert.equal(read('1818'), 24)
  assert.equal(read('1903e8'), 1000)
  assert.equal(read('1b000000e8d4a51000'), 1000000000000)
  assert.equal(read('1bffffffffffffffff'), 18446744073709551615n)
  assert.equal(read('3bffffffffffffffff'), -18446744073709551616n)
  assert.equal(read('20'), -1)
  assert.equal(read('3903e7'), -1000)
  assert.equal(read('f93c00'), 1)
  assert.equal(read('f97bff'), 65504)
  assert.equal(read('f90001'), 5.960464477539063e-8)
  assert.equal(read('fa47c35000'), 100000)
  assert.equal(read('fb3ff199999999999a'), 1.1)
  assert.equal(read('f97c00'), Infinity)
  assert.ok(Number.isNaN(read('f97e00')))
  assert.equal(read('f4'), false)
  assert.equal(read('f5'), true)
  assert.equal(read('f6'), null)
  assert.equal(read('f7'), undefined)
  assert.deepEqual(read('4401020304'), new Uint8Array([1, 2, 3, 4]))
  assert.equal(read('6449455446'), 'IETF')
  assert.equal(read('62c3bc'), 'ü')
  assert.deepEqual(read('8301820203820405'), [1, [2, 3], [4, 5]])
  assert.deepEqual(read('9f018202039f0405ffff'), [1, [2, 3], [4, 5]])
  assert.equal(read('7f657374726561646d696e67ff'), 'streaming')
  assert.deepEqual(read('5f42010243030405ff'), new Uint8Array([1, 2, 3, 4, 5]))
  const map = read('a201020304')
  assert.ok(map instanceof CborMap)
  assert.equal(map.get(1), 2)
  assert.equal(map.get(3), 4)
  assert.deepEqual((read('bf61610161629f0203ffff') as CborMap).get('b'), [2, 3])
  const tagged = read('c11a514b67b0')
  assert.ok(tagged instanceof CborTag)
  assert.equal(tagged.tag, 1)
  assert.equal(tagged.value, 1363896240)
})

test('malformed CBOR', () => {
  invalid('', /truncated/)
  invalid('0000', /trailing bytes/)
  invalid('1c', /reserved additional information/)
  invalid('ff', /unexpected break/)
  invalid('8201ff', /unexpected break/)
  invalid('a10102 01', /trailing bytes/)
  invalid('a2 01 02 01 03', /duplicate map key 1/)
  invalid('bf 01 ff', /map key without a value/)
  invalid('62 c3', /truncated/)
  invalid('61 ff', /not UTF-8/)
  invalid('5f 61 61 ff', /chunk of another type/)
  invalid('1f', /indefinite integer/)
  invalid('f8 20', /unsupported simple value/)
  invalid('5b 00 00 00 01 00 00 00 00', /length too large/)
  invalid('81'.repeat(100) + '00', /nesting too deep/)
})
