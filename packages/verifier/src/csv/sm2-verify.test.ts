import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { sm2 } from 'sm-crypto-v2'
import { parseCsvEvidence } from './csv-evidence.ts'
import { csvJsonFixture } from './csv-test-support.ts'
import { parseCaCertificate, parseCsvCertificate, type HygonCertificate } from './hygon-cert.ts'
import { pinnedHrkBytes } from './hygon-root.ts'
import { prepareSm2Key, sm2IdentityHash, verifySm2 } from './sm2-verify.ts'

const ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n
const hrk = parseCaCertificate(pinnedHrkBytes(), 'HRK', 'EVIDENCE_MALFORMED')
const real = parseCsvEvidence(csvJsonFixture('csv/csv_evidence.json'))
const pek = parseCsvCertificate(real.pek, 'PEK', 'EVIDENCE_MALFORMED')
const tmp = mkdtempSync(join(tmpdir(), 'carapace-sm2-'))
after(() => {
  rmSync(tmp, { recursive: true, force: true })
})

function verify(cert: HygonCertificate, message: Uint8Array, r: bigint, s: bigint): boolean {
  return verifySm2(prepareSm2Key(cert.publicKey), sm2IdentityHash(cert.publicKey, cert.userId), message, r, s)
}

function derInteger(value: bigint): Buffer {
  let bytes = Buffer.from(value.toString(16).padStart(64, '0'), 'hex')
  while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] ?? 0) & 0x80) === 0) bytes = bytes.subarray(1)
  if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes])
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes])
}

/** The OpenSSL 3 CLI's verdict on the same signature: SM3 digest, SM2 key, `distid` = the Hygon ID. */
function opensslVerifies(cert: HygonCertificate, message: Uint8Array, r: bigint, s: bigint, id: string): boolean {
  // SubjectPublicKeyInfo: id-ecPublicKey with the SM2 curve (1.2.156.10197.1.301), uncompressed point.
  const spki = Buffer.concat([
    Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d03420004', 'hex'),
    cert.publicKey.x,
    cert.publicKey.y,
  ])
  const body = Buffer.concat([derInteger(r), derInteger(s)])
  writeFileSync(join(tmp, 'key.der'), spki)
  writeFileSync(join(tmp, 'sig.der'), Buffer.concat([Buffer.from([0x30, body.length]), body]))
  writeFileSync(join(tmp, 'msg.bin'), message)
  try {
    const out = execFileSync(
      'openssl',
      ['dgst', '-sm3', '-verify', join(tmp, 'key.der'), '-keyform', 'DER', '-sigopt', `distid:${id}`].concat([
        '-signature',
        join(tmp, 'sig.der'),
        join(tmp, 'msg.bin'),
      ]),
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
    return out.includes('Verified OK')
  } catch {
    return false
  }
}

describe('SM2 with Hygon distinguishing IDs', () => {
  test('Z matches sm-crypto-v2 getZ for the HRK key and its ID', () => {
    const hex = `04${Buffer.from(hrk.publicKey.x).toString('hex')}${Buffer.from(hrk.publicKey.y).toString('hex')}`
    assert.equal(Buffer.from(hrk.userId).toString('latin1'), 'HYGON-SSD-HRK')
    assert.deepEqual(
      Buffer.from(sm2IdentityHash(hrk.publicKey, hrk.userId)),
      Buffer.from(sm2.getZ(hex, 'HYGON-SSD-HRK')),
    )
  })

  test('the pinned HRK self-signature verifies (sm-crypto-v2 and the openssl CLI), not under another ID', () => {
    const sig = hrk.signatures[0]
    assert.ok(sig !== undefined)
    assert.equal(verify(hrk, hrk.body, sig.r, sig.s), true)
    assert.equal(opensslVerifies(hrk, hrk.body, sig.r, sig.s, 'HYGON-SSD-HRK'), true)
    assert.equal(opensslVerifies(hrk, hrk.body, sig.r, sig.s, '1234567812345678'), false)
    const other = { ...hrk, userId: Buffer.from('1234567812345678') }
    assert.equal(verify(other, hrk.body, sig.r, sig.s), false)
  })

  test('the real v1 report signature verifies with its PEK (both implementations)', () => {
    const { signed, r, s } = real.report
    assert.equal(Buffer.from(pek.userId).toString('latin1'), 'HYGON-SSD-PEK')
    assert.equal(verify(pek, signed, r, s), true)
    assert.equal(opensslVerifies(pek, signed, r, s, 'HYGON-SSD-PEK'), true)
    const flipped = Uint8Array.from(signed)
    flipped[100] = (flipped[100] ?? 0) ^ 1
    assert.equal(verify(pek, flipped, r, s), false)
    assert.equal(opensslVerifies(pek, flipped, r, s, 'HYGON-SSD-PEK'), false)
  })

  test('r and s outside [1, n-1] are refused before any curve arithmetic', () => {
    const { signed, r, s } = real.report
    for (const [rr, ss] of [
      [0n, s],
      [r, 0n],
      [r + ORDER, s],
      [r, s + ORDER],
      [ORDER, s],
    ] as const) {
      assert.equal(verify(pek, signed, rr, ss), false)
    }
  })

  test('a public key off the curve is not a key', () => {
    const x = Uint8Array.from(hrk.publicKey.x)
    x[31] = (x[31] ?? 0) ^ 1
    assert.throws(() => prepareSm2Key({ x, y: hrk.publicKey.y }))
  })
})
