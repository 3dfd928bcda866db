import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { parseNvidiaEvidence } from './nvidia-evidence.ts'
import { UUID, deviceEvidence, nvidiaEvidence } from './nvidia-test-evidence.ts'

function code(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof VerificationError, String(error))
    return error.code
  }
  return 'accepted'
}

test('nvidia evidence JSON: upstream fields and arch spellings only', () => {
  for (const arch of ['Hopper', 'HOPPER', 'Blackwell', 'BLACKWELL', 'LS10']) {
    assert.equal(
      code(() => parseNvidiaEvidence(nvidiaEvidence(deviceEvidence({ arch })))),
      'accepted',
      arch,
    )
  }
  for (const arch of ['hopper', 'HOPPEr', 'ls10', 'Volta']) {
    assert.equal(
      code(() => parseNvidiaEvidence(nvidiaEvidence(deviceEvidence({ arch })))),
      'EVIDENCE_MALFORMED',
      arch,
    )
  }
  const device = deviceEvidence({ uuid: UUID })
  assert.equal(
    code(() => parseNvidiaEvidence({ ...nvidiaEvidence(device), x: 1 })),
    'EVIDENCE_MALFORMED',
  )
  assert.equal(
    code(() => parseNvidiaEvidence(nvidiaEvidence({ ...device, nonce: '00' }))),
    'EVIDENCE_MALFORMED',
  )
  const certificate = device.certificate ?? ''
  // The certificate's last base64 character carries padding bits: a non-zero one is refused.
  const last = certificate.replace(/=+$/, '').slice(-1)
  const other = String.fromCharCode(last.charCodeAt(0) + 1)
  const nonCanonical = certificate.replace(/.(=*)$/, `${other}$1`)
  if (certificate.endsWith('=')) {
    assert.equal(
      code(() => parseNvidiaEvidence(nvidiaEvidence({ ...device, certificate: nonCanonical }))),
      'EVIDENCE_MALFORMED',
    )
  }
})

test('nvidia evidence JSON: upper-case hex is not the report (read as base64, it is refused or other bytes)', () => {
  const device = deviceEvidence({ uuid: UUID })
  const upper = nvidiaEvidence({ ...device, evidence: (device.evidence ?? '').toUpperCase() })
  assert.equal(
    code(() => parseNvidiaEvidence(upper)),
    'EVIDENCE_MALFORMED',
  )
})
