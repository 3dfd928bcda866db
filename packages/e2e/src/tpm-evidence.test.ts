import assert from 'node:assert/strict'
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createTpmAttester, type TpmEvidence } from '@carapace/attester'
import { startSwtpm, type RunningSwtpm } from '@carapace/attester/swtpm'
import { VerificationError, createTpmVerifier } from '@carapace/verifier'

/**
 * The guest `tpm` attester's evidence from a software TPM against the trust plane's `tpm`
 * verifier (a guest package and a trust-plane package meet here, not in each other's tests).
 */

const INIT_DATA_DIGEST = createHash('sha256').update('init data').digest()
const REPORT_DATA = new Uint8Array(createHash('sha384').update('nonce and key').digest())

function isVerificationError(code: string) {
  return (error: unknown) => error instanceof VerificationError && error.code === code
}

describe('tpm attester evidence (swtpm) through the tpm verifier', () => {
  let swtpm: RunningSwtpm
  let evidence: TpmEvidence
  before(async () => {
    swtpm = await startSwtpm()
    const attester = createTpmAttester({ tcti: swtpm.tcti, initDataDigest: INIT_DATA_DIGEST })
    evidence = (await attester.evidence(REPORT_DATA)) as unknown as TpmEvidence
  })
  after(() => swtpm.stop())

  it('is accepted with the upstream claims: PCRs, report data, ak_public, init_data', async () => {
    const pcr8 = createHash('sha256').update(Buffer.alloc(32)).update(INIT_DATA_DIGEST).digest('hex')
    const [result] = await createTpmVerifier().verify(evidence, {
      reportData: REPORT_DATA,
      initDataDigest: INIT_DATA_DIGEST,
    })
    assert.ok(result)
    assert.equal(result.teeClass, 'cpu')
    const expected: Record<string, string> = {}
    evidence.tpm_quote.pcrs.forEach((value, i) => {
      expected[`pcr${String(i).padStart(2, '0')}`] = value
    })
    assert.equal(expected['pcr08'], pcr8)
    assert.deepEqual(result.claims, {
      ...expected,
      report_data: Buffer.from(REPORT_DATA.subarray(0, 32)).toString('hex'),
      ak_public: evidence.ak_public,
      init_data: pcr8,
    })
  })

  it('is refused for other report data, other init data, a changed PCR value or a changed quote', async () => {
    const verifier = createTpmVerifier()
    await assert.rejects(
      verifier.verify(evidence, { reportData: new Uint8Array(48) }),
      isVerificationError('REPORT_DATA_MISMATCH'),
    )
    await assert.rejects(
      verifier.verify(evidence, { reportData: REPORT_DATA, initDataDigest: new Uint8Array(32).fill(9) }),
      isVerificationError('INIT_DATA_MISMATCH'),
    )
    const pcrs = [...evidence.tpm_quote.pcrs]
    pcrs[11] = 'ab'.repeat(32)
    await assert.rejects(
      verifier.verify({ ...evidence, tpm_quote: { ...evidence.tpm_quote, pcrs } }, { reportData: REPORT_DATA }),
      isVerificationError('POLICY_VIOLATION'),
    )
    const message = Buffer.from(evidence.tpm_quote.message, 'base64')
    message[message.length - 1] = (message[message.length - 1] ?? 0) ^ 1
    const tampered = { ...evidence, tpm_quote: { ...evidence.tpm_quote, message: message.toString('base64') } }
    await assert.rejects(
      verifier.verify(tampered, { reportData: REPORT_DATA }),
      isVerificationError('SIGNATURE_INVALID'),
    )
  })
})

describe('tpm attester evidence with an ECC P-256 AK (swtpm) through the tpm verifier', () => {
  let swtpm: RunningSwtpm
  let evidence: TpmEvidence
  before(async () => {
    swtpm = await startSwtpm()
    const attester = createTpmAttester({ tcti: swtpm.tcti, akAlgorithm: 'ecc', initDataDigest: INIT_DATA_DIGEST })
    evidence = (await attester.evidence(REPORT_DATA)) as unknown as TpmEvidence
  })
  after(() => swtpm.stop())

  it('is a real ECDSA quote the verifier accepts, with ak_public the P-256 SPKI as sent', async () => {
    // TPMT_SIGNATURE: ECDSA (0x0018) over SHA-256 (0x000b).
    assert.equal(Buffer.from(evidence.tpm_quote.signature, 'base64').subarray(0, 4).toString('hex'), '0018000b')
    const ak = createPublicKey({ key: Buffer.from(evidence.ak_public, 'base64'), format: 'der', type: 'spki' })
    assert.equal(ak.asymmetricKeyDetails?.namedCurve, 'prime256v1')
    const pcr8 = createHash('sha256').update(Buffer.alloc(32)).update(INIT_DATA_DIGEST).digest('hex')
    const [result] = await createTpmVerifier().verify(evidence, {
      reportData: REPORT_DATA,
      initDataDigest: INIT_DATA_DIGEST,
    })
    assert.ok(result)
    assert.equal(result.teeClass, 'cpu')
    const expected: Record<string, string> = {}
    evidence.tpm_quote.pcrs.forEach((value, i) => {
      expected[`pcr${String(i).padStart(2, '0')}`] = value
    })
    assert.deepEqual(result.claims, {
      ...expected,
      report_data: Buffer.from(REPORT_DATA.subarray(0, 32)).toString('hex'),
      ak_public: ak.export({ format: 'der', type: 'spki' }).toString('base64'),
      init_data: pcr8,
    })
    assert.equal(result.claims['ak_public'], evidence.ak_public)
  })

  it('is refused when the quote, the ECDSA signature or the AK is changed', async () => {
    const verifier = createTpmVerifier()
    const message = Buffer.from(evidence.tpm_quote.message, 'base64')
    message[message.length - 1] = (message[message.length - 1] ?? 0) ^ 1
    await assert.rejects(
      verifier.verify(
        { ...evidence, tpm_quote: { ...evidence.tpm_quote, message: message.toString('base64') } },
        { reportData: REPORT_DATA },
      ),
      isVerificationError('SIGNATURE_INVALID'),
    )
    const signature = Buffer.from(evidence.tpm_quote.signature, 'base64')
    signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 1
    await assert.rejects(
      verifier.verify(
        { ...evidence, tpm_quote: { ...evidence.tpm_quote, signature: signature.toString('base64') } },
        { reportData: REPORT_DATA },
      ),
      isVerificationError('SIGNATURE_INVALID'),
    )
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey
    await assert.rejects(
      verifier.verify(
        { ...evidence, ak_public: other.export({ format: 'der', type: 'spki' }).toString('base64') },
        { reportData: REPORT_DATA },
      ),
      isVerificationError('SIGNATURE_INVALID'),
    )
  })
})
