import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { hclAttestationKey, parseHclReport } from './hcl-report.ts'

const v1 = JSON.parse(
  readFileSync(new URL('../../fixtures/az-tdx-vtpm/evidence-v1.json', import.meta.url), 'utf8'),
) as Record<string, unknown>
const hcl = Buffer.from(String(v1['hcl_report']), 'base64url')

test('HCL report parse remembered per exact bytes: the same frozen result, any changed byte parsed again', () => {
  const first = parseHclReport(new Uint8Array(hcl))
  assert.equal(parseHclReport(new Uint8Array(hcl)), first)
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.varDataJson))
  assert.throws(() => {
    ;(first.varDataJson as Record<string, unknown>)['user-data'] = 'ff'
  }, TypeError)
  assert.equal(hclAttestationKey(parseHclReport(new Uint8Array(hcl))), hclAttestationKey(first))

  // A byte of the variable data (inside its JSON text) changed: another report, or a refusal.
  const start = hcl.indexOf('"keys"')
  const changed = Buffer.from(hcl)
  changed[start + 1] = 'K'.charCodeAt(0)
  const other = parseHclReport(changed)
  assert.notEqual(other, first)
  assert.notDeepEqual(other.varDataSha256, first.varDataSha256)
  assert.throws(() => hclAttestationKey(other), VerificationError)

  // A refusal is not remembered: the same bad bytes are refused again, the good ones still parse.
  const bad = Buffer.from(hcl)
  bad[hcl.length - 1] = 1
  for (let i = 0; i < 2; i++) assert.throws(() => parseHclReport(bad), { code: 'EVIDENCE_MALFORMED' })
  assert.equal(parseHclReport(hcl), first)
})
