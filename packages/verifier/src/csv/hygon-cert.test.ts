import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { caCertificateBytes, csvCertificateBytes } from './cert-json.ts'
import { csvJsonFixture, SYNTHETIC_HSK_CEK } from './csv-test-support.ts'
import { caCertificateJson, csvCertificateJson } from './csv-synthetic-pki.ts'
import { parseCaCertificate, parseCsvCertificate, USAGE } from './hygon-cert.ts'
import { pinnedHrkBytes } from './hygon-root.ts'

const isCode = (code: string) => (e: unknown) => e instanceof VerificationError && e.code === code
const realPekJson = (csvJsonFixture('csv/csv_evidence.json')['cert_chain'] as { pek: unknown }).pek

describe('Hygon certificate formats', () => {
  test('the pinned HRK: 832 bytes, usage HRK, self-issued (sid = kid), ID HYGON-SSD-HRK', () => {
    const hrk = parseCaCertificate(pinnedHrkBytes(), 'HRK', 'COLLATERAL_INVALID')
    assert.equal(hrk.usage, USAGE.HRK)
    assert.deepEqual(hrk.sid, hrk.kid)
    assert.equal(Buffer.from(hrk.userId).toString('latin1'), 'HYGON-SSD-HRK')
    assert.equal(hrk.body.length, 576)
  })

  test('the real PEK: serde JSON ⇄ 2084 bytes; usage PEK, firmware 1.3, signed by the CEK and the OCA', () => {
    const bytes = csvCertificateBytes(realPekJson, 'pek')
    assert.deepEqual(csvCertificateJson(bytes), realPekJson)
    const pek = parseCsvCertificate(bytes, 'PEK', 'EVIDENCE_MALFORMED')
    assert.equal(pek.usage, USAGE.PEK)
    assert.deepEqual(pek.firmware, { major: 1, minor: 3 })
    assert.deepEqual(
      pek.signatures.map((s) => s.usage),
      [USAGE.CEK, USAGE.OCA],
    )
    assert.equal(Buffer.from(pek.userId).toString('latin1'), 'HYGON-SSD-PEK')
  })

  test('CA certificates: binary ⇄ serde JSON', () => {
    const hsk = SYNTHETIC_HSK_CEK.subarray(0, 832)
    assert.deepEqual(caCertificateBytes(caCertificateJson(hsk), 'hsk'), hsk)
  })

  test('wrong sizes, curves and user-id sizes are refused with the caller’s code', () => {
    assert.throws(
      () => parseCaCertificate(new Uint8Array(831), 'x', 'COLLATERAL_INVALID'),
      isCode('COLLATERAL_INVALID'),
    )
    assert.throws(
      () => parseCsvCertificate(new Uint8Array(2085), 'x', 'EVIDENCE_MALFORMED'),
      isCode('EVIDENCE_MALFORMED'),
    )
    const curve = Uint8Array.from(pinnedHrkBytes())
    curve[64] = 4
    assert.throws(() => parseCaCertificate(curve, 'x', 'EVIDENCE_MALFORMED'), isCode('EVIDENCE_MALFORMED'))
    const uid = Uint8Array.from(pinnedHrkBytes())
    uid[212] = 255
    assert.throws(() => parseCaCertificate(uid, 'x', 'EVIDENCE_MALFORMED'), isCode('EVIDENCE_MALFORMED'))
  })

  test('serde JSON: unknown fields, non-bytes and non-zero unsigned reserved bytes are refused', () => {
    type PekJson = { sigs: { _reserved: number[] }[]; body: { ver: unknown } }
    const pek = structuredClone(realPekJson) as PekJson
    assert.throws(() => csvCertificateBytes({ ...pek, extra: 1 }, 'pek'), isCode('EVIDENCE_MALFORMED'))
    const reserved = structuredClone(pek)
    ;(reserved.sigs[0] as { _reserved: number[] })._reserved[5] = 1
    assert.throws(() => csvCertificateBytes(reserved, 'pek'), isCode('EVIDENCE_MALFORMED'))
    const notByte = structuredClone(pek)
    notByte.body.ver = -1
    assert.throws(() => csvCertificateBytes(notByte, 'pek'), isCode('EVIDENCE_MALFORMED'))
  })
})
