import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { verifySnpChain } from '../snp/snp-chain.ts'
import { parseSnpReport } from '../snp/snp-report.ts'
import { parseHclReport } from '../tpm/hcl-report.ts'
import { azSnpProduct } from './az-snp-product.ts'

const FIXTURES = new URL('../../fixtures/az-snp-vtpm/', import.meta.url)
const der = (name: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(new URL(name, FIXTURES))).raw)
const report = parseSnpReport(
  parseHclReport(new Uint8Array(readFileSync(new URL('hcl-report.bin', FIXTURES)))).hardwareReport,
)

test('a version 2 report (no CPUID) takes its product from the VCEK issuer', () => {
  assert.equal(report.version, 2)
  assert.equal(azSnpProduct(report, der('vcek.pem')), 'Milan')
  assert.equal(azSnpProduct(report, der('vcek-genoa.pem')), 'Genoa')
})

test('vcek-genoa.pem chains to the pinned Genoa ARK', async () => {
  const leaf = await verifySnpChain(
    { kind: 'vcek', der: der('vcek-genoa.pem') },
    'Genoa',
    [],
    undefined,
    new Date('2026-01-01T00:00:00Z'),
  )
  assert.match(leaf.subject, /SEV-VCEK/)
})
