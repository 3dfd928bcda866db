import assert from 'node:assert/strict'
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { initDataPcrValue } from './init-data-pcr.ts'
import { syntheticQuote } from './synthetic-quote.ts'
import { createTpmVerifier, equalsRegularized, regularize } from './tpm-verifier.ts'

const FIXTURES = new URL('../../fixtures/tpm/', import.meta.url)
const reportData = new Uint8Array(createHash('sha384').update('runtime data').digest())
const initDataDigest = new Uint8Array(createHash('sha256').update('init data').digest())
const pcrs: Uint8Array[] = Array.from({ length: 24 }, (_, i) => new Uint8Array(32).fill(i >= 17 && i <= 22 ? 0xff : i))
pcrs[8] = initDataPcrValue(initDataDigest)
const hexPcrs = pcrs.map((p) => Buffer.from(p).toString('hex'))

function evidenceFor(key: { privateKey: KeyObject; publicKey: KeyObject }, scheme: 'rsassa' | 'rsapss' | 'ecdsa') {
  const { message, signature } = syntheticQuote({
    key: key.privateKey,
    scheme,
    extraData: reportData.subarray(0, 32),
    pcrs,
  })
  const akPublic = key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')
  return {
    akPublic,
    evidence: {
      ak_public: akPublic,
      tpm_quote: {
        signature: Buffer.from(signature).toString('base64'),
        message: Buffer.from(message).toString('base64'),
        pcrs: hexPcrs,
      },
    },
  }
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const golden = evidenceFor(rsa, 'rsassa')

function expectedClaims(akPublic: string): JsonObject {
  const claims: JsonObject = {}
  hexPcrs.forEach((p, i) => (claims[`pcr${String(i).padStart(2, '0')}`] = p))
  return {
    ...claims,
    init_data: hexPcrs[8] ?? '',
    report_data: Buffer.from(reportData.subarray(0, 32)).toString('hex'),
    ak_public: akPublic,
  }
}

function tamperedMessage(): JsonObject {
  const message = Buffer.from(golden.evidence.tpm_quote.message, 'base64')
  message[message.length - 40] = (message[message.length - 40] ?? 0) ^ 1 // inside firmwareVersion
  return { ...golden.evidence, tpm_quote: { ...golden.evidence.tpm_quote, message: message.toString('base64') } }
}

verifierContract('tpm', () => ({
  verifier: createTpmVerifier(),
  golden: {
    evidence: JSON.stringify(golden.evidence),
    expected: { reportData, initDataDigest },
    teeClass: 'cpu',
    claims: [expectedClaims(golden.akPublic)],
  },
  wrongReportData: new Uint8Array(48).fill(7),
  truncated: JSON.stringify(golden.evidence).slice(0, 300),
  wrongInitDataDigest: new Uint8Array(32).fill(1),
  tamperedSignature: { evidence: tamperedMessage() },
}))

describe('tpm verifier', () => {
  test('RSA-PSS and ECDSA P-256 attestation keys are accepted', async () => {
    for (const [key, scheme] of [
      [rsa, 'rsapss'],
      [ec, 'ecdsa'],
    ] as const) {
      const e = evidenceFor(key, scheme)
      const [result] = await createTpmVerifier().verify(e.evidence, { reportData, initDataDigest })
      assert.deepEqual(result?.claims, expectedClaims(e.akPublic))
    }
  })

  test('a signature by another key than ak_public is SIGNATURE_INVALID', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const e = {
      ...golden.evidence,
      ak_public: other.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    }
    await rejectsWith(createTpmVerifier().verify(e, { reportData }), 'SIGNATURE_INVALID')
  })

  test('an RSA signature with an EC ak_public is SIGNATURE_INVALID', async () => {
    const e = { ...golden.evidence, ak_public: ec.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') }
    await rejectsWith(createTpmVerifier().verify(e, { reportData }), 'SIGNATURE_INVALID')
  })

  test('a changed PCR value is POLICY_VIOLATION (pcrDigest)', async () => {
    const changed = [...hexPcrs]
    changed[0] = '01'.repeat(32)
    const e = { ...golden.evidence, tpm_quote: { ...golden.evidence.tpm_quote, pcrs: changed } }
    await rejectsWith(createTpmVerifier().verify(e, { reportData }), 'POLICY_VIOLATION')
  })

  test('fewer PCR values than the quote selects is POLICY_VIOLATION', async () => {
    const e = { ...golden.evidence, tpm_quote: { ...golden.evidence.tpm_quote, pcrs: hexPcrs.slice(0, 23) } }
    await rejectsWith(createTpmVerifier().verify(e, { reportData }), 'POLICY_VIOLATION')
  })

  test('report data is regularized to 32 bytes: a 32-byte prefix with other trailing bytes matches', async () => {
    const longer = new Uint8Array(64)
    longer.set(reportData.subarray(0, 32))
    longer.fill(9, 32)
    const [result] = await createTpmVerifier().verify(golden.evidence, { reportData: longer })
    assert.equal(result?.claims['report_data'], Buffer.from(reportData.subarray(0, 32)).toString('hex'))
  })

  test('an init-data digest that is not 32 bytes is INIT_DATA_MISMATCH', async () => {
    await rejectsWith(
      createTpmVerifier().verify(golden.evidence, { reportData, initDataDigest: new Uint8Array(48) }),
      'INIT_DATA_MISMATCH',
    )
  })

  test('a non-hex PCR and a signature of another scheme are EVIDENCE_MALFORMED', async () => {
    const badPcr = { ...golden.evidence, tpm_quote: { ...golden.evidence.tpm_quote, pcrs: ['zz'.repeat(32)] } }
    await rejectsWith(createTpmVerifier().verify(badPcr, { reportData }), 'EVIDENCE_MALFORMED')
    const hmac = Buffer.from([0x00, 0x05, 0x00, 0x0b, 0x00, 0x00])
    const badSig = {
      ...golden.evidence,
      tpm_quote: { ...golden.evidence.tpm_quote, signature: hmac.toString('base64') },
    }
    await rejectsWith(createTpmVerifier().verify(badSig, { reportData }), 'EVIDENCE_MALFORMED')
  })
  test('fields upstream does not define and upper-case hex are EVIDENCE_MALFORMED (one text per evidence)', async () => {
    const q = golden.evidence.tpm_quote
    const upper = [...hexPcrs]
    upper[17] = (upper[17] ?? '').toUpperCase() // 0xff…
    for (const e of [
      { ...golden.evidence, eventlog: null },
      { ...golden.evidence, tpm_quote: { ...q, nonce: '' } },
      { ...golden.evidence, tpm_quote: { ...q, pcrs: upper } },
    ]) {
      await rejectsWith(createTpmVerifier().verify(e, { reportData }), 'EVIDENCE_MALFORMED')
    }
  })
})

describe('tpm verifier: upstream tpm_evidence.json (real TPM, older 64-byte nonce attester)', () => {
  const evidence = readFileSync(new URL('tpm_evidence.json', FIXTURES))
  const digest = Buffer.from(
    'a04182b506878d4f29b91ee606a71a0d3361ccf1b22db20c98adcaa537bea393ef0e41a18b3569ab678f1497fbc5c120',
    'hex',
  )

  test('signature and PCR digest verify; the 64-byte extraData fails the 32-byte report-data rule', async () => {
    // Signature and PCR checks run before the nonce check, so REPORT_DATA_MISMATCH proves both passed.
    await rejectsWith(createTpmVerifier().verify(evidence, { reportData: digest }), 'REPORT_DATA_MISMATCH')
    const tampered = JSON.parse(evidence.toString('utf8')) as { tpm_quote: { signature: string } }
    const sig = Buffer.from(tampered.tpm_quote.signature, 'base64')
    sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1
    tampered.tpm_quote.signature = sig.toString('base64')
    await rejectsWith(createTpmVerifier().verify(tampered, { reportData: digest }), 'SIGNATURE_INVALID')
  })
})

test('PCR8 init-data value: SHA-256(0^32 ‖ 8505e4e2…) is upstream’s bddaccb9…', () => {
  const digest = Buffer.from('8505e4e25e50a27c5dc8147af88efbece627fbea55291911eff832d9ee127781', 'hex')
  assert.equal(
    Buffer.from(initDataPcrValue(digest)).toString('hex'),
    'bddaccb9c52249e97a31baea61b7d91be8221a16e703d92148d04fb8e9c1dfdd',
  )
})

describe('equalsRegularized', () => {
  test('agrees with comparing against regularize(data, size) for short, exact and long data', () => {
    const actual = new Uint8Array(32)
    actual.set([1, 2, 3])
    const cases: Uint8Array[] = [
      new Uint8Array([1, 2, 3]),
      new Uint8Array([1, 2]),
      new Uint8Array([1, 2, 4]),
      new Uint8Array(0),
      actual,
      Uint8Array.from({ length: 64 }, (_, i) => (i < 3 ? i + 1 : i < 32 ? 0 : 9)),
      Uint8Array.from({ length: 64 }, (_, i) => (i < 3 ? i + 1 : 9)),
    ]
    for (const data of cases) {
      const expected = Buffer.from(regularize(data, 32)).equals(actual)
      assert.equal(equalsRegularized(actual, data, 32), expected, `data of ${String(data.length)} bytes`)
    }
    assert.equal(equalsRegularized(actual.subarray(0, 31), new Uint8Array([1, 2, 3]), 32), false)
    const trailing = new Uint8Array(actual)
    trailing[31] = 1
    assert.equal(equalsRegularized(trailing, new Uint8Array([1, 2, 3]), 32), false)
  })
})
