import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseRegistriesD } from './registries-d.ts'
import { SignatureError } from './signature-error.ts'
import { evaluateVector, fixturePolicy, PLAIN_DIGEST } from './test-support.ts'

async function rejects(p: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SignatureError, String(e))
    assert.equal(e.code, code, e.message)
    if (typeof message === 'string') assert.equal(e.message, message)
    else assert.match(e.message, message)
    return true
  })
}

// One test per row of the vectors' MANIFEST.md "Results" table (skopeo-up / skopeo-deb outcomes).
describe('signature vectors (MANIFEST.md results table)', () => {
  const policy = fixturePolicy('policy.json')

  test('signed-sigstore:v1 with policy.json (matchRepoDigestOrExact) is accepted', async () => {
    const d = await evaluateVector('signed-sigstore:v1', policy)
    assert.equal(d.scope, '127.0.0.1:5000/coco/signed-sigstore')
    assert.deepEqual(d.accepted, [
      { format: 'sigstore', dockerReference: '127.0.0.1:5000/coco/signed-sigstore:v1', manifestDigest: PLAIN_DIGEST },
    ])
  })

  test('signed-sigstore@digest is accepted (digest reference → same repository)', async () => {
    const d = await evaluateVector(`signed-sigstore@${PLAIN_DIGEST}`, policy)
    assert.equal(d.accepted.length, 1)
  })

  test('signed-sigstore:v2 is refused: identity v1 is not v2', async () => {
    await rejects(
      evaluateVector('signed-sigstore:v2', policy),
      'IDENTITY_MISMATCH',
      'Signature for identity 127.0.0.1:5000/coco/signed-sigstore:v1 is not accepted',
    )
  })

  test('signed-sigstore:v2 with policy-matchrepository.json is accepted', async () => {
    const d = await evaluateVector('signed-sigstore:v2', fixturePolicy('policy-matchrepository.json'))
    assert.equal(d.accepted.at(0)?.dockerReference, '127.0.0.1:5000/coco/signed-sigstore:v1')
  })

  test('signed-sigstore:v1 with policy-wrongkey.json fails the cryptographic check', async () => {
    await rejects(
      evaluateVector('signed-sigstore:v1', fixturePolicy('policy-wrongkey.json')),
      'INVALID_SIGNATURE',
      'cryptographic signature verification failed: invalid signature when validating ASN.1 encoded signature',
    )
  })

  test('cosign-style:v1 (Ed25519, repository identity, optional null) with matchRepository is accepted', async () => {
    const d = await evaluateVector('cosign-style:v1', policy)
    assert.deepEqual(d.accepted, [
      { format: 'sigstore', dockerReference: '127.0.0.1:5000/coco/cosign-style', manifestDigest: PLAIN_DIGEST },
    ])
  })

  test('cosign-style:v1 with policy-cosign-exact.json (matchRepoDigestOrExact) is refused', async () => {
    await rejects(
      evaluateVector('cosign-style:v1', fixturePolicy('policy-cosign-exact.json')),
      'IDENTITY_MISMATCH',
      'Signature for identity 127.0.0.1:5000/coco/cosign-style is not accepted',
    )
  })

  test('cosign-style:other carries a signature for another digest', async () => {
    await rejects(
      evaluateVector('cosign-style:other', policy),
      'DIGEST_MISMATCH',
      `Signature for digest ${PLAIN_DIGEST} does not match`,
    )
  })

  test('signed-sigstore:v1 without registries.d (no attachments) has no signature', async () => {
    await rejects(
      evaluateVector('signed-sigstore:v1', policy, { registries: parseRegistriesD([]) }),
      'NO_SIGNATURE',
      'A signature was required, but no signature exists',
    )
  })

  test('signed-gpg:v1 (EdDSA) and signed-gpg-rsa:v1 with signedBy are accepted', async () => {
    const ed = await evaluateVector('signed-gpg:v1', policy)
    assert.deepEqual(ed.accepted, [
      {
        format: 'simple-signing',
        dockerReference: '127.0.0.1:5000/coco/signed-gpg:v1',
        manifestDigest: PLAIN_DIGEST,
        signerFingerprint: '43B14B1BC02F04F52EF08CA340DBA0531C42B138',
      },
    ])
    const rsa = await evaluateVector('signed-gpg-rsa:v1', policy)
    assert.equal(rsa.accepted.at(0)?.signerFingerprint, 'F834AB2B46DEDA5FBB4FDE57148A35D04F0B2528')
    assert.equal(rsa.accepted.at(0)?.dockerReference, '127.0.0.1:5000/coco/signed-gpg-rsa:v1')
  })

  test('signed-gpg:v1 with policy-gpg-wrongkey.json (RSA keyring) is refused', async () => {
    await rejects(
      evaluateVector('signed-gpg:v1', fixturePolicy('policy-gpg-wrongkey.json')),
      'INVALID_SIGNATURE',
      /^Signature by key 40DBA0531C42B138 is not accepted$/,
    )
  })

  test('rejected:v1 is rejected by policy', async () => {
    await rejects(
      evaluateVector('rejected:v1', policy),
      'REJECTED',
      'Running image docker://127.0.0.1:5000/coco/rejected:v1 is rejected by policy.',
    )
  })

  test('an image in no scope falls to the default reject', async () => {
    await rejects(evaluateVector('deb-sigstore:v1', policy), 'REJECTED', /rejected by policy/)
  })

  test('plain:v1 under insecureAcceptAnything is accepted without signatures', async () => {
    const d = await evaluateVector('plain:v1', policy)
    assert.deepEqual(d.accepted, [])
    assert.equal(d.scope, '127.0.0.1:5000/coco/plain')
  })

  test('a GPG signature made after the clock says now is refused', async () => {
    await rejects(
      evaluateVector('signed-gpg-rsa:v1', policy, { now: () => new Date('2026-01-01T00:00:00Z') }),
      'INVALID_SIGNATURE',
      /^Invalid GPG signature: /,
    )
  })
})
