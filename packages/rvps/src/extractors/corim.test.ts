import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { RvpsError, type RvpsErrorCode } from '../errors.ts'
import { MapStorage } from '../map-storage-test-support.ts'
import { createRvps } from '../rvps.ts'
import { extractCorim } from './corim.ts'

const CORIM = readFileSync(new URL('../../fixtures/corim/unsigned-example-corim.cbor', import.meta.url))
const UUID = '31fb5abf-023e-4992-aa4e-95f9c1503bfa'

function b64(hex: string): string {
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex').toString('base64')
}

function refused(hex: string, code: RvpsErrorCode, message: RegExp): void {
  assert.throws(
    () => extractCorim(b64(hex)),
    (error: unknown) => error instanceof RvpsError && error.code === code && message.test(error.message),
  )
}

test('the upstream unsigned example CoRIM', () => {
  const values = extractCorim(CORIM.toString('base64'))
  assert.deepEqual(values, [
    {
      name: `ACME/RoadRunner/${UUID}/digests`,
      value: ['87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7'],
    },
    {
      name: `ACME/RoadRunner/${UUID}/digests`,
      value: ['0263829989b6fd954f72baaf2fc64bc2e2f01d692d4de72986ea808f6e99813f'],
    },
    {
      name: `ACME/RoadRunner/${UUID}/digests`,
      value: ['a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478'],
    },
  ])
})

test('registered, the last measurement of a name wins (as upstream writes them in order)', async () => {
  const rvps = createRvps({ storage: new MapStorage(), now: () => new Date('2026-12-01T00:00:00Z') })
  await rvps.register({ version: '0.1.0', type: 'corim', payload: CORIM.toString('base64') })
  assert.deepEqual(await rvps.query(`ACME/RoadRunner/${UUID}/digests`), [
    'a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478',
  ])
})

test('leading tags 500/502 are dropped; uint and text keys, name, serial and raw bytes make the path', () => {
  // 502(500(501({1: [506(<<{4: {0: [[{0: {1: "V"}}, [m1, m2]]]}}>>)]})))
  // m1 = {0: 7, 1: {11: "n", 8: "s", 4: 560(h'beef')}}, m2 = {0: "k", 1: {2: [[1, h'01'], [7, h'02']]}}
  const comid =
    'a1 04 a1 00 81 82 a1 00 a1 01 61 56 82' +
    ' a2 00 07 01 a3 0b 61 6e 08 61 73 04 d9 0230 42 beef' +
    ' a2 00 61 6b 01 a1 02 82 82 01 41 01 82 07 41 02'
  const length = (comid.replace(/\s+/g, '').length / 2).toString(16).padStart(2, '0')
  const corim = `d901f6 d901f4 d901f5 a1 01 81 d901fa 58 ${length} ${comid}`
  assert.deepEqual(extractCorim(b64(corim)), [
    { name: 'V/claim7/n/s/raw_bytes', value: 'beef' },
    { name: 'V/k/digests', value: ['01', '02'] },
  ])
})

test('CoRIMs that are refused', () => {
  refused('d2 84 40 a0 f6 40', 'UNSUPPORTED_TYPE', /signed CoRIM/)
  refused('a1 01 80', 'INVALID_PAYLOAD', /not an unsigned CoRIM/)
  refused('d901f5 a0', 'INVALID_PAYLOAD', /CoRIM tags is not an array/)
  refused('d901f5 a1 01 81 d901fa 01', 'INVALID_PAYLOAD', /does not hold a byte string/)
  refused('d901f5 a1 01 81 d901fa 41 a0', 'INVALID_PAYLOAD', /CoMID triples is not a map/)
  refused('d901f5 a1 01 81 d901fa 45 a1 04 a1 00 01', 'INVALID_PAYLOAD', /reference-triples is not an array/)
  refused('d901f5 a1 01', 'INVALID_PAYLOAD', /truncated/)
})
