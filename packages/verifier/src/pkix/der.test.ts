import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import {
  DerCursor,
  DerTag,
  bitIsSet,
  derBitString,
  derBoolean,
  derChildren,
  derExplicit,
  derInteger,
  derIntegerBytes,
  derOid,
  derString,
  readDer,
} from './der.ts'
import { derTime } from './der-time.ts'

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/\s/g, ''), 'hex'))

function rejects(fn: () => unknown, code = 'EVIDENCE_MALFORMED'): void {
  assert.throws(fn, (error: unknown) => error instanceof VerificationError && error.code === code)
}

describe('DER reader', () => {
  test('reads a SEQUENCE with short and long lengths', () => {
    const long = Buffer.alloc(200, 7)
    const element = readDer(Buffer.concat([bytes('30 81 d0 04 81 c8'), long, bytes('05 00 01 01 ff')]))
    const [octets, nul, bool] = derChildren(element)
    assert.equal(octets?.content.length, 200)
    assert.equal(nul?.tag, DerTag.null)
    assert.equal(derBoolean(bool!), true)
  })

  test('rejects indefinite, non-minimal and overlong lengths, truncation and trailing bytes', () => {
    rejects(() => readDer(bytes('30 80 00 00')))
    rejects(() => readDer(bytes('04 81 05 0102030405')))
    rejects(() => readDer(bytes('04 82 00 81' + '00'.repeat(0x81))))
    rejects(() => readDer(bytes('04 05 010203')))
    rejects(() => readDer(bytes('04 85 ffffffff ff')))
    rejects(() => readDer(bytes('04 01 01 00')))
    rejects(() => readDer(bytes('04')))
    rejects(() => readDer(bytes('1f 01 01 00')))
    rejects(() => derChildren(readDer(bytes('30 03 04 05 00'))))
  })

  test('the error code is the one the caller chose, also for children', () => {
    rejects(() => readDer(bytes('30 80'), 'COLLATERAL_INVALID'), 'COLLATERAL_INVALID')
    const element = readDer(bytes('30 02 02 00'), 'CERT_CHAIN_INVALID')
    rejects(() => derInteger(derChildren(element)[0]!), 'CERT_CHAIN_INVALID')
  })

  test('decodes object identifiers', () => {
    assert.equal(derOid(readDer(bytes('06 08 2a8648ce3d040302'))), '1.2.840.10045.4.3.2')
    assert.equal(derOid(readDer(bytes('06 0a 2b060104019c78010302'))), '1.3.6.1.4.1.3704.1.3.2')
    assert.equal(derOid(readDer(bytes('06 03 883701'))), '2.999.1')
    rejects(() => derOid(readDer(bytes('06 02 2a86'))))
    rejects(() => derOid(readDer(bytes('06 03 2a8001'))))
    rejects(() => derOid(readDer(bytes('06 00'))))
  })

  test('decodes INTEGERs strictly', () => {
    assert.equal(derInteger(readDer(bytes('02 01 00'))), 0n)
    assert.equal(derInteger(readDer(bytes('02 01 ff'))), -1n)
    assert.equal(derInteger(readDer(bytes('02 02 0080'))), 128n)
    assert.equal(derInteger(readDer(bytes('02 02 ff7f'))), -129n)
    assert.equal(derInteger(readDer(bytes('02 09 00ffffffffffffffff'))), 2n ** 64n - 1n)
    assert.deepEqual(derIntegerBytes(readDer(bytes('02 02 0080')), { unsigned: true }), bytes('80'))
    rejects(() => derIntegerBytes(readDer(bytes('02 01 80')), { unsigned: true }))
    rejects(() => derInteger(readDer(bytes('02 02 0001'))))
    rejects(() => derInteger(readDer(bytes('02 02 ff80'))))
    rejects(() => derInteger(readDer(bytes('02 00'))))
    rejects(() => derInteger(readDer(bytes('04 01 00'))))
  })

  test('decodes BOOLEAN, BIT STRING and named bits', () => {
    assert.equal(derBoolean(readDer(bytes('01 01 00'))), false)
    rejects(() => derBoolean(readDer(bytes('01 01 01'))))
    const keyUsage = derBitString(readDer(bytes('03 02 01 86')))
    assert.equal(keyUsage.unusedBits, 1)
    assert.deepEqual(
      [0, 1, 5, 6, 7].map((bit) => bitIsSet(keyUsage, bit)),
      [true, false, true, true, false],
    )
    rejects(() => derBitString(readDer(bytes('03 02 01 87'))))
    rejects(() => derBitString(readDer(bytes('03 02 08 00'))))
    rejects(() => derBitString(readDer(bytes('03 00'))))
  })

  test('decodes UTCTime and GeneralizedTime', () => {
    const utc = (text: string): Uint8Array =>
      Buffer.concat([bytes('17'), Buffer.from([text.length]), Buffer.from(text)])
    const gen = (text: string): Uint8Array =>
      Buffer.concat([bytes('18'), Buffer.from([text.length]), Buffer.from(text)])
    assert.equal(derTime(readDer(utc('250213040032Z'))).toISOString(), '2025-02-13T04:00:32.000Z')
    assert.equal(derTime(readDer(utc('991231235959Z'))).toISOString(), '1999-12-31T23:59:59.000Z')
    assert.equal(derTime(readDer(gen('99991231235959Z'))).toISOString(), '9999-12-31T23:59:59.000Z')
    assert.equal(derTime(readDer(gen('20250213040032.5Z'))).toISOString(), '2025-02-13T04:00:32.500Z')
    for (const bad of ['2502130400Z', '250213040032', '250213040032+0100', '251313040032Z', '250230040032Z']) {
      rejects(() => derTime(readDer(utc(bad))))
    }
    rejects(() => derTime(readDer(gen('250213040032Z'))))
    rejects(() => derTime(readDer(gen('20250213040032.50Z'))))
  })

  test('walks sequences with optional and explicit fields', () => {
    const element = readDer(bytes('30 08 a0 03 02 01 02 02 01 05'))
    const cursor = new DerCursor(element, DerTag.sequence)
    assert.equal(derInteger(derExplicit(cursor.optional(0xa0)!, 0)), 2n)
    assert.equal(cursor.optional(0xa1), undefined)
    assert.equal(derInteger(cursor.next(DerTag.integer)), 5n)
    cursor.end()
    rejects(() => cursor.next())
    rejects(() => new DerCursor(element, DerTag.set))
  })

  test('decodes strings', () => {
    assert.equal(derString(readDer(bytes('0c 02 c3a9'))), 'é')
    assert.equal(derString(readDer(bytes('13 02 4142'))), 'AB')
    assert.equal(derString(readDer(bytes('1e 04 00410042'))), 'AB')
    rejects(() => derString(readDer(bytes('0c 01 ff'))))
    rejects(() => derString(readDer(bytes('02 01 00'))))
  })
})
