import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTpm2Runner, createTpmAttester, extendPcr, type TpmAttester, type TpmEvidence } from '@carapace/attester'
import { startSwtpm, type RunningSwtpm } from '@carapace/attester/swtpm'
import { startCdhServer } from '@carapace/data-hub'
import { createKbsClient, KbsClientError } from '@carapace/kbs-client'
import { initDataDigest } from '@carapace/protocol'
import { sampleReferenceValueMessage } from './support/sample-reference-values.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

/**
 * A real TPM path without TEE hardware: the guest `tpm` attester drives a software TPM (swtpm)
 * through tpm2-tools. swtpm and tpm2-tools come from scripts/install-system-deps.sh (run by
 * .ci/run); without them `startSwtpm` fails and so does this suite, naming the script.
 */

const SECRET = 'sealed by the TPM path'
const INIT_DATA = `version = "0.1.0"\nalgorithm = "sha256"\n\n[data]\nworkload = "tpm-guest"\n`
/** Releases only to tokens whose every submodule is affirming. */
const AFFIRMING_ONLY = `package policy

default allow := false

allow if {
  count(input.submods) > 0
  every _, submod in input.submods {
    submod["ear.status"] == "affirming"
  }
}
`

interface EarSubmod {
  'ear.status': string
  'ear.trustworthiness-vector': Record<string, number>
  'ear.veraison.annotated-evidence': { tpm?: Record<string, unknown> }
}

function earCpu(token: string): EarSubmod {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    submods?: Record<string, EarSubmod>
  }
  const cpu = payload.submods?.['cpu0']
  assert.ok(cpu, 'the token has no cpu0 submodule')
  return cpu
}

function tpmClaims(cpu: EarSubmod): Record<string, unknown> {
  const claims = cpu['ear.veraison.annotated-evidence'].tpm
  assert.ok(claims, 'the token carries no tpm claims')
  return claims
}

function trust(cpu: EarSubmod): { hardware?: number; executables?: number } {
  const vector = cpu['ear.trustworthiness-vector']
  return { hardware: vector['hardware'], executables: vector['executables'] }
}

function isClientError(code: string, message: RegExp) {
  return (error: unknown) => error instanceof KbsClientError && error.code === code && message.test(error.message)
}

describe('a guest attests with a software TPM to the KBS; the AS checks the AK and PCRs against reference values', () => {
  let plane: TrustPlane
  let swtpm: RunningSwtpm
  let guest: TpmAttester
  let registered: TpmEvidence

  const client = (attester: TpmAttester, initData = INIT_DATA) =>
    createKbsClient({ url: plane.kbs.url, attester, fetch: plane.fetch, now: plane.clock.nowMs, initData })

  before(async () => {
    swtpm = await startSwtpm()
    plane = await startTrustPlane({ insecureAllowSampleTee: false })
    guest = createTpmAttester({ tcti: swtpm.tcti, initDataDigest: initDataDigest(INIT_DATA, 'sha256') })
    // The operator learns the AK and the measured PCR11 from a trusted boot of this guest.
    registered = (await guest.evidence(new Uint8Array(32))) as unknown as TpmEvidence
    const admin = plane.admin(await plane.adminToken())
    await admin.setReferenceValue(sampleReferenceValueMessage('trusted_aks', registered.ak_public))
    await admin.setReferenceValue(sampleReferenceValueMessage('tpm_pcr11', registered.tpm_quote.pcrs[11] ?? ''))
    await admin.setResource('default/key/tpm', Buffer.from(SECRET))
    await admin.setResourcePolicy(AFFIRMING_ONLY)
  })
  after(async () => {
    await plane.close()
    await swtpm.stop()
  })

  it('releases the secret to the TPM guest through kbs-client, with an affirming token carrying the TPM claims', async () => {
    const kbs = client(guest)
    assert.equal(Buffer.from(await kbs.getResource('default/key/tpm')).toString(), SECRET)
    const cpu = earCpu(await kbs.getToken())
    assert.equal(cpu['ear.status'], 'affirming')
    assert.deepEqual(trust(cpu), { hardware: 2, executables: 3 })
    const claims = tpmClaims(cpu)
    assert.equal(claims['ak_public'], registered.ak_public)
    assert.equal(claims['pcr11'], registered.tpm_quote.pcrs[11])
    assert.equal(claims['pcr08'], registered.tpm_quote.pcrs[8])
  })

  it('releases the secret to the TPM guest through the CDH', async () => {
    const cdh = await startCdhServer({
      kbsUrl: plane.kbs.url,
      ...(plane.kbs.certificatePem === undefined ? {} : { kbsCertPem: plane.kbs.certificatePem }),
      listen: '127.0.0.1:0',
      attester: guest,
      initData: INIT_DATA,
      now: plane.clock.nowMs,
      logger: () => undefined,
    })
    try {
      const response = await fetch(`${cdh.url}/cdh/resource/default/key/tpm`)
      assert.equal(response.status, 200)
      assert.equal(await response.text(), SECRET)
    } finally {
      await cdh.close()
    }
  })

  it('refuses a guest whose init data is not the one extended into PCR8', async () => {
    const other = INIT_DATA.replace('tpm-guest', 'someone-else')
    await assert.rejects(
      client(guest, other).getResource('default/key/tpm'),
      isClientError('ATTESTATION_FAILED', /PCR8 is not the extend of the expected init-data digest/),
    )
  })

  it('denies a TPM whose attestation key the operator did not register', async () => {
    const stranger = await startSwtpm()
    try {
      const attester = createTpmAttester({ tcti: stranger.tcti, initDataDigest: initDataDigest(INIT_DATA, 'sha256') })
      assert.notEqual(await attester.akPublic(), registered.ak_public)
      const kbs = client(attester)
      await assert.rejects(kbs.getResource('default/key/tpm'), isClientError('UNAUTHORIZED', /default\/key\/tpm/))
      const cpu = earCpu(await kbs.getToken())
      assert.equal(cpu['ear.status'], 'warning')
      assert.equal(tpmClaims(cpu)['ak_public'], await attester.akPublic())
      // The TPM is recognised as a TPM (hardware 2) but its executables are not (33: unknown AK).
      assert.deepEqual(trust(cpu), { hardware: 2, executables: 33 })
    } finally {
      await stranger.stop()
    }
  })

  it('denies the registered TPM once PCR11 has been extended with another value', async () => {
    await extendPcr(createTpm2Runner({ tcti: swtpm.tcti }), 11, new Uint8Array(32).fill(0xee))
    const kbs = client(guest)
    await assert.rejects(kbs.getResource('default/key/tpm'), isClientError('UNAUTHORIZED', /default\/key\/tpm/))
    const cpu = earCpu(await kbs.getToken())
    assert.equal(cpu['ear.status'], 'warning')
    assert.deepEqual(trust(cpu), { hardware: 2, executables: 33 })
    assert.equal(tpmClaims(cpu)['ak_public'], registered.ak_public)
    assert.notEqual(tpmClaims(cpu)['pcr11'], registered.tpm_quote.pcrs[11])
  })
})

describe('a guest whose software TPM signs with an ECC P-256 AK attests to the KBS', () => {
  let plane: TrustPlane
  let swtpm: RunningSwtpm
  let guest: TpmAttester
  let registered: TpmEvidence

  before(async () => {
    swtpm = await startSwtpm()
    plane = await startTrustPlane({ insecureAllowSampleTee: false })
    guest = createTpmAttester({
      tcti: swtpm.tcti,
      akAlgorithm: 'ecc',
      initDataDigest: initDataDigest(INIT_DATA, 'sha256'),
    })
    registered = (await guest.evidence(new Uint8Array(32))) as unknown as TpmEvidence
    const admin = plane.admin(await plane.adminToken())
    await admin.setReferenceValue(sampleReferenceValueMessage('trusted_aks', registered.ak_public))
    await admin.setReferenceValue(sampleReferenceValueMessage('tpm_pcr11', registered.tpm_quote.pcrs[11] ?? ''))
    await admin.setResource('default/key/tpm', Buffer.from(SECRET))
    await admin.setResourcePolicy(AFFIRMING_ONLY)
  })
  after(async () => {
    await plane.close()
    await swtpm.stop()
  })

  it('releases the secret for an ECDSA-signed quote from the registered AK, with an affirming token', async () => {
    // TPMT_SIGNATURE ECDSA (0x0018): the quote really is ECDSA-signed, not RSA.
    assert.equal(Buffer.from(registered.tpm_quote.signature, 'base64').readUInt16BE(0), 0x0018)
    const kbs = createKbsClient({
      url: plane.kbs.url,
      attester: guest,
      fetch: plane.fetch,
      now: plane.clock.nowMs,
      initData: INIT_DATA,
    })
    assert.equal(Buffer.from(await kbs.getResource('default/key/tpm')).toString(), SECRET)
    const cpu = earCpu(await kbs.getToken())
    assert.equal(cpu['ear.status'], 'affirming')
    assert.deepEqual(trust(cpu), { hardware: 2, executables: 3 })
    assert.equal(tpmClaims(cpu)['ak_public'], registered.ak_public)
    assert.equal(tpmClaims(cpu)['pcr08'], registered.tpm_quote.pcrs[8])
  })
})
