import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { pcrDigestSha256 } from './pcr-digest.ts'
import { contiguousSpan, pcrClaims, pcrValuesFromHex } from './pcr-values.ts'

const hexes = Array.from({ length: 24 }, (_, i) => Buffer.alloc(32, i * 11).toString('hex'))
const malformed = (e: unknown, index: number): boolean =>
  e instanceof VerificationError && e.code === 'EVIDENCE_MALFORMED' && e.message.includes(`pcrs[${String(index)}]`)

test('pcr values: decoded as adjacent views of one buffer, either case, same digest as separate copies', () => {
  const values = pcrValuesFromHex({ pcrs: hexes.map((h, i) => (i % 2 ? h.toUpperCase() : h)) }, 'pcrs', 'tpm')
  assert.deepEqual(
    values.map((v) => Buffer.from(v).toString('hex')),
    hexes,
  )
  assert.equal(contiguousSpan(values)?.length, 24 * 32)
  const copies = values.map((v) => new Uint8Array(v))
  assert.equal(contiguousSpan(copies), undefined)
  assert.deepEqual(pcrDigestSha256(values), pcrDigestSha256(copies))
})

test('pcr values: any non-hex character, wrong length or type is refused, naming the value', () => {
  // Two-byte characters whose low byte is a hex digit (Buffer's hex decoding would truncate them).
  for (const bad of ['\u0130', '\u0161', 'g', ' ', '\u0000']) {
    const pcrs = [...hexes]
    pcrs[5] = `${'0'.repeat(62)}${bad}0`
    assert.throws(
      () => pcrValuesFromHex({ pcrs }, 'pcrs', 'tpm'),
      (e) => malformed(e, 5),
    )
  }
  for (const bad of ['00', `${hexes[0] ?? ''}00`, 7, null]) {
    const pcrs: unknown[] = [...hexes]
    pcrs[3] = bad
    assert.throws(
      () => pcrValuesFromHex({ pcrs: pcrs as string[] }, 'pcrs', 'tpm'),
      (e) => malformed(e, 3),
    )
  }
  assert.deepEqual(pcrValuesFromHex({ pcrs: [] }, 'pcrs', 'tpm'), [])
})

test('pcr claims: lowercase hex by index, in index order whatever the map order or buffer layout', () => {
  const values = pcrValuesFromHex({ pcrs: hexes.slice(0, 3).map((h) => h.toUpperCase()) }, 'pcrs', 'tpm')
  const expected = { pcr00: hexes[0], pcr08: hexes[1], pcr23: hexes[2] }
  const inOrder = new Map([
    [0, values[0] ?? new Uint8Array()],
    [8, values[1] ?? new Uint8Array()],
    [23, values[2] ?? new Uint8Array()],
  ])
  assert.deepEqual(pcrClaims(inOrder), expected)
  const shuffled = new Map([...inOrder].reverse().map(([i, v]) => [i, new Uint8Array(v)]))
  const claims = pcrClaims(shuffled)
  assert.deepEqual(claims, expected)
  assert.deepEqual(Object.keys(claims), ['pcr00', 'pcr08', 'pcr23'])
})
