import assert from 'node:assert/strict'
import { createHash, createPublicKey, verify } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { AttesterError } from '../attester-error.ts'
import { startSwtpm, type RunningSwtpm } from './swtpm.ts'
import { createTpm2Runner } from './tpm2-tools.ts'
import { createTpmAttester, extendPcr, type TpmEvidence } from './tpm-attester.ts'

const INIT_DATA_DIGEST = createHash('sha256').update('init data').digest()
const REPORT_DATA = new Uint8Array(createHash('sha384').update('nonce and key').digest())

function isAttesterError(code: string) {
  return (error: unknown) => error instanceof AttesterError && error.code === code
}

/** TPMS_ATTEST: magic (4), type (2), qualifiedSigner (TPM2B), then extraData (TPM2B). */
function extraData(evidence: TpmEvidence): string {
  const message = Buffer.from(evidence.tpm_quote.message, 'base64')
  const signerEnd = 8 + message.readUInt16BE(6)
  return message.subarray(signerEnd + 2, signerEnd + 2 + message.readUInt16BE(signerEnd)).toString('hex')
}

const akKey = (evidence: TpmEvidence) =>
  createPublicKey({ key: Buffer.from(evidence.ak_public, 'base64'), format: 'der', type: 'spki' })

/** The RSASSA-SHA256 signature (after sigAlg, hash and size) verifies over the TPMS_ATTEST with the AK. */
function signatureVerifies(evidence: TpmEvidence): boolean {
  const signature = Buffer.from(evidence.tpm_quote.signature, 'base64').subarray(6)
  return verify('sha256', Buffer.from(evidence.tpm_quote.message, 'base64'), akKey(evidence), signature)
}

/** TPMT_SIGNATURE ECDSA: sigAlg 0x0018, hash, then r and s as TPM2B. */
function ecdsaParts(evidence: TpmEvidence): { header: string; r: Buffer; s: Buffer } {
  const signature = Buffer.from(evidence.tpm_quote.signature, 'base64')
  const rEnd = 6 + signature.readUInt16BE(4)
  const r = signature.subarray(6, rEnd)
  const sEnd = rEnd + 2 + signature.readUInt16BE(rEnd)
  assert.equal(sEnd, signature.length, 'the TPMT_SIGNATURE has trailing bytes')
  return { header: signature.subarray(0, 4).toString('hex'), r, s: signature.subarray(rEnd + 2, sEnd) }
}

/** The ECDSA-SHA256 (r, s) verifies over the TPMS_ATTEST with the P-256 AK. */
function ecdsaVerifies(evidence: TpmEvidence, message = Buffer.from(evidence.tpm_quote.message, 'base64')): boolean {
  const { r, s } = ecdsaParts(evidence)
  const p1363 = Buffer.concat([Buffer.alloc(32 - r.length), r, Buffer.alloc(32 - s.length), s])
  return verify('sha256', message, { key: akKey(evidence), dsaEncoding: 'ieee-p1363' }, p1363)
}

const hex32 = (data: Uint8Array): string => Buffer.from(data.subarray(0, 32)).toString('hex')

describe('the tpm attester on a software TPM (swtpm + tpm2-tools)', () => {
  let swtpm: RunningSwtpm
  before(async () => {
    swtpm = await startSwtpm()
  })
  after(() => swtpm.stop())

  it('produces upstream tpm evidence: a signed quote of PCRs 0-23 bound to the report data and init data', async () => {
    const attester = createTpmAttester({ tcti: swtpm.tcti, initDataDigest: INIT_DATA_DIGEST })
    assert.equal(attester.tee, 'tpm')
    const evidence = (await attester.evidence(REPORT_DATA)) as unknown as TpmEvidence
    assert.deepEqual(Object.keys(evidence).sort(), ['ak_public', 'tpm_quote'])
    assert.deepEqual(Object.keys(evidence.tpm_quote).sort(), ['message', 'pcrs', 'signature'])
    assert.equal(evidence.tpm_quote.pcrs.length, 24)
    for (const pcr of evidence.tpm_quote.pcrs) assert.match(pcr, /^[0-9a-f]{64}$/)
    // TPMT_SIGNATURE: RSASSA (0x0014), SHA-256 (0x000b), 256-byte signature.
    assert.equal(Buffer.from(evidence.tpm_quote.signature, 'base64').subarray(0, 6).toString('hex'), '0014000b0100')
    // TPMS_ATTEST starts with TPM_GENERATED_VALUE and TPM_ST_ATTEST_QUOTE.
    assert.equal(Buffer.from(evidence.tpm_quote.message, 'base64').subarray(0, 6).toString('hex'), 'ff5443478018')

    const pcr8 = createHash('sha256').update(Buffer.alloc(32)).update(INIT_DATA_DIGEST).digest('hex')
    assert.equal(evidence.tpm_quote.pcrs[8], pcr8)
    assert.ok(signatureVerifies(evidence))
    // The 48-byte report data is truncated to the 32 bytes a quote qualifies.
    assert.equal(extraData(evidence), hex32(REPORT_DATA))
    assert.equal(await attester.akPublic(), evidence.ak_public)
  })

  it('keeps one persistent AK across attesters and binds each quote to its own report data', async () => {
    const first = (await createTpmAttester({ tcti: swtpm.tcti }).evidence(REPORT_DATA)) as unknown as TpmEvidence
    const other = new Uint8Array(48).fill(0x5a)
    const second = (await createTpmAttester({ tcti: swtpm.tcti }).evidence(other)) as unknown as TpmEvidence
    assert.equal(first.ak_public, second.ak_public)
    assert.ok(signatureVerifies(second))
    assert.equal(extraData(first), hex32(REPORT_DATA))
    assert.equal(extraData(second), hex32(other))
  })

  it('reports a PCR extended after start in the next quote', async () => {
    const attester = createTpmAttester({ tcti: swtpm.tcti })
    const before = (await attester.evidence(REPORT_DATA)) as unknown as TpmEvidence
    await extendPcr(createTpm2Runner({ tcti: swtpm.tcti }), 11, new Uint8Array(32).fill(1))
    const after = (await attester.evidence(REPORT_DATA)) as unknown as TpmEvidence
    assert.notEqual(after.tpm_quote.pcrs[11], before.tpm_quote.pcrs[11])
    const expected = createHash('sha256')
      .update(Buffer.from(before.tpm_quote.pcrs[11] ?? '', 'hex'))
      .update(Buffer.alloc(32, 1))
      .digest('hex')
    assert.equal(after.tpm_quote.pcrs[11], expected)
    assert.ok(signatureVerifies(after))
    assert.notEqual(after.tpm_quote.message, before.tpm_quote.message)
  })

  it('serializes concurrent evidence requests, each quote bound to its own report data', async () => {
    const attester = createTpmAttester({ tcti: swtpm.tcti })
    const reports = [1, 2, 3].map((n) => new Uint8Array(32).fill(n))
    const evidence = await Promise.all(reports.map((reportData) => attester.evidence(reportData)))
    for (const [i, reportData] of reports.entries()) {
      const one = evidence[i] as unknown as TpmEvidence
      assert.ok(signatureVerifies(one))
      assert.equal(extraData(one), hex32(reportData))
    }
  })

  it('refuses an init-data digest that is not 32 bytes', () => {
    assert.throws(
      () => createTpmAttester({ tcti: swtpm.tcti, initDataDigest: new Uint8Array(48) }),
      isAttesterError('INIT_DATA_INVALID'),
    )
  })
})

describe('the tpm attester with an ECC P-256 attestation key (swtpm)', () => {
  let swtpm: RunningSwtpm
  before(async () => {
    swtpm = await startSwtpm()
  })
  after(() => swtpm.stop())

  it('creates a P-256 AK and signs the quote with ECDSA-SHA256, bound to report data and init data', async () => {
    const attester = createTpmAttester({ tcti: swtpm.tcti, akAlgorithm: 'ecc', initDataDigest: INIT_DATA_DIGEST })
    const evidence = (await attester.evidence(REPORT_DATA)) as unknown as TpmEvidence
    assert.deepEqual(Object.keys(evidence).sort(), ['ak_public', 'tpm_quote'])
    const key = akKey(evidence)
    assert.equal(key.asymmetricKeyType, 'ec')
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1')
    // ak_public is the DER SPKI as node:crypto re-encodes it: the uncompressed point.
    assert.equal(key.export({ format: 'der', type: 'spki' }).toString('base64'), evidence.ak_public)
    const { header, r, s } = ecdsaParts(evidence)
    // TPMT_SIGNATURE: ECDSA (0x0018), SHA-256 (0x000b).
    assert.equal(header, '0018000b')
    assert.ok(r.length <= 32 && s.length <= 32)
    assert.ok(ecdsaVerifies(evidence))
    const tampered = Buffer.from(evidence.tpm_quote.message, 'base64')
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    assert.equal(ecdsaVerifies(evidence, tampered), false)
    assert.equal(extraData(evidence), hex32(REPORT_DATA))
    const pcr8 = createHash('sha256').update(Buffer.alloc(32)).update(INIT_DATA_DIGEST).digest('hex')
    assert.equal(evidence.tpm_quote.pcrs[8], pcr8)
    assert.equal(await attester.akPublic(), evidence.ak_public)
  })

  it('reuses the persisted ECC AK and refuses it where an RSA AK is asked for', async () => {
    const ecc = await createTpmAttester({ tcti: swtpm.tcti, akAlgorithm: 'ecc' }).akPublic()
    const again = (await createTpmAttester({ tcti: swtpm.tcti, akAlgorithm: 'ecc' }).evidence(
      new Uint8Array(32).fill(7),
    )) as unknown as TpmEvidence
    assert.equal(again.ak_public, ecc)
    assert.ok(ecdsaVerifies(again))
    await assert.rejects(
      createTpmAttester({ tcti: swtpm.tcti }).evidence(REPORT_DATA),
      (error: unknown) =>
        isAttesterError('EVIDENCE_FAILED')(error) &&
        /0x81010002 \(ec prime256v1\) is not an RSA attestation key/.test((error as Error).message),
    )
  })

  it('keeps RSA and ECC AKs side by side at different handles', async () => {
    const rsa = (await createTpmAttester({ tcti: swtpm.tcti, akHandle: 0x81010010 }).evidence(
      REPORT_DATA,
    )) as unknown as TpmEvidence
    assert.equal(akKey(rsa).asymmetricKeyType, 'rsa')
    assert.ok(signatureVerifies(rsa))
    await assert.rejects(
      createTpmAttester({ tcti: swtpm.tcti, akHandle: 0x81010010, akAlgorithm: 'ecc' }).akPublic(),
      (error: unknown) =>
        isAttesterError('EVIDENCE_FAILED')(error) &&
        /is not a NIST P-256 \(ECC\) attestation key/.test((error as Error).message),
    )
  })

  it('refuses an AK algorithm it does not know', () => {
    assert.throws(
      () => createTpmAttester({ tcti: swtpm.tcti, akAlgorithm: 'dsa' as unknown as 'ecc' }),
      (error: unknown) =>
        isAttesterError('OPTION_INVALID')(error) && /expected rsa or ecc/.test((error as Error).message),
    )
  })
})

describe('the tpm attester without a TPM', () => {
  it('fails with TEE_UNAVAILABLE when nothing listens at the TCTI', async () => {
    const attester = createTpmAttester({ tcti: 'swtpm:host=127.0.0.1,port=1', timeoutMs: 10_000 })
    await assert.rejects(attester.evidence(REPORT_DATA), isAttesterError('TEE_UNAVAILABLE'))
  })
})

describe('the tpm2-tools runner', () => {
  it('stops a command that outlives its time limit', async () => {
    const run = createTpm2Runner({ tcti: 'swtpm:host=127.0.0.1,port=1', timeoutMs: 100 })
    await assert.rejects(
      run('sleep', ['5']),
      (error: unknown) => isAttesterError('EVIDENCE_FAILED')(error) && /within 100 ms/.test((error as Error).message),
    )
  })

  it('names the install script when a tool is not installed', async () => {
    const run = createTpm2Runner({ tcti: 'swtpm:host=127.0.0.1,port=1' })
    await assert.rejects(
      run('tpm2_carapace_no_such_tool', []),
      (error: unknown) =>
        isAttesterError('TEE_UNAVAILABLE')(error) && /scripts\/install-system-deps\.sh/.test((error as Error).message),
    )
  })
})
