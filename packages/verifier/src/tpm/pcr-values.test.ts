import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { pcrDigestSha256 } from './pcr-digest.ts'
import { contiguousSpan, pcrClaims, pcrsByIndex, pcrValuesFromHex } from './pcr-values.ts'

const hexes = Array.from({ length: 24 }, (_, i) => Buffer.alloc(32, i * 11).toString('hex'))
const malformed = (e: unknown, index: number): boolean =>
  e instanceof VerificationError && e.code === 'EVIDENCE_MALFORMED' && e.message.includes(`pcrs[${String(index)}]`)

test('pcr values: decoded as adjacent views of one buffer, same digest as separate copies', () => {
  const values = pcrValuesFromHex({ pcrs: hexes }, 'pcrs', 'tpm')
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
  // Upper case is the same bytes in a second text: refused as well (the attesters write lower case).
  for (const bad of ['\u0130', '\u0161', 'g', ' ', '\u0000', 'A', 'F']) {
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
  const values = pcrValuesFromHex({ pcrs: hexes.slice(0, 3) }, 'pcrs', 'tpm')
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

test('pcr claims and digest remembered per exact PCR bytes: fresh objects, another byte is another result', () => {
  const list = (h: readonly string[]): readonly Uint8Array[] => pcrValuesFromHex({ pcrs: [...h] }, 'pcrs', 'tpm')
  const byIndex = (values: readonly Uint8Array[]): Map<number, Uint8Array> => new Map(values.map((v, i) => [i, v]))
  const first = pcrClaims(byIndex(list(hexes)))
  first['pcr00'] = 'changed by a caller'
  first['report_data'] = 'added by a caller'
  const again = pcrClaims(byIndex(list(hexes)))
  assert.equal(again['pcr00'], hexes[0])
  assert.equal(again['report_data'], undefined)
  assert.deepEqual(Object.keys(again), Object.keys(first).slice(0, 24))

  const changed = [...hexes]
  changed[7] = `${(hexes[7] ?? '').slice(0, 63)}f`
  assert.equal(pcrClaims(byIndex(list(changed)))['pcr07'], changed[7])
  const separate = (h: readonly string[]): Uint8Array[] => h.map((x) => new Uint8Array(Buffer.from(x, 'hex')))
  for (const h of [hexes, changed, hexes]) {
    const digest = pcrDigestSha256(list(h))
    assert.deepEqual(digest, pcrDigestSha256(separate(h)))
    digest.fill(0) // the caller's copy: the next digest of the same bytes is unaffected
  }
  assert.notDeepEqual(pcrDigestSha256(list(hexes)), pcrDigestSha256(list(changed)))
})

test('a decoded PCR list is remembered per exact bytes: one frozen list, one map by index 0…n-1', () => {
  const first = pcrValuesFromHex({ pcrs: [...hexes] }, 'pcrs', 'tpm')
  const again = pcrValuesFromHex({ pcrs: [...hexes] }, 'pcrs', 'tpm')
  assert.equal(again, first)
  assert.ok(Object.isFrozen(first))
  const indexes = hexes.map((_, i) => i)
  const byIndex = pcrsByIndex(first, indexes)
  assert.equal(pcrsByIndex(again, indexes), byIndex)
  assert.deepEqual([...byIndex.keys()], indexes)
  // Other indexes (a quote selecting other PCRs) get a map of their own.
  const shifted = pcrsByIndex(
    first,
    indexes.map((i) => i + 1),
  )
  assert.notEqual(shifted, byIndex)
  assert.equal(shifted.get(24), first[23])
  const changed = [...hexes]
  changed[0] = `${(hexes[0] ?? '').slice(0, 63)}1`
  assert.notEqual(pcrValuesFromHex({ pcrs: changed }, 'pcrs', 'tpm'), first)
  assert.deepEqual(pcrClaims(byIndex), pcrClaims(new Map(byIndex)))
})

test('the last decoded texts are taken again only when every text is the same string', () => {
  const ff = hexes.map((h, i) => (i === 9 ? 'ff'.repeat(32) : h))
  const first = pcrValuesFromHex({ pcrs: [...ff] }, 'pcrs', 'tpm')
  assert.equal(pcrValuesFromHex({ pcrs: [...ff] }, 'pcrs', 'tpm'), first)
  const upper = [...ff]
  upper[9] = 'FF'.repeat(32)
  assert.throws(
    () => pcrValuesFromHex({ pcrs: upper }, 'pcrs', 'tpm'),
    (e) => malformed(e, 9),
  )
  assert.equal(pcrValuesFromHex({ pcrs: [...ff, 'ff'.repeat(32)] }, 'pcrs', 'tpm').length, 25)
  assert.equal(pcrValuesFromHex({ pcrs: ff.slice(0, 23) }, 'pcrs', 'tpm').length, 23)
  assert.equal(pcrValuesFromHex({ pcrs: [...ff] }, 'pcrs', 'tpm'), first)
})
