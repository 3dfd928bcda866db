import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { formatKataReport, runKataVectors } from './kata-vectors.ts'

// Runs every regorus Kata case under $CARAPACE_KATA_VECTORS (CI points it at the shared copy,
// e.g. ../shared/vectors/policies/regorus/tests/kata/data). Without it the run says so and skips
// this one corpus test; the Kata policy itself is tested on the fixtures in the repository.
const vectorsDir = process.env['CARAPACE_KATA_VECTORS']

if (!vectorsDir) {
  test(
    'regorus Kata vectors',
    {
      skip: 'CARAPACE_KATA_VECTORS is not set (.ci/run sets it to ../shared/vectors/policies/regorus/tests/kata/data when that checkout is beside the repository)',
    },
    () => undefined,
  )
} else {
  test(`regorus Kata vectors under ${vectorsDir}`, (t) => {
    const report = runKataVectors(resolve(vectorsDir))
    t.diagnostic(formatKataReport(report))
    t.diagnostic(`kata vectors passed: ${report.passed}/${report.total}`)
    assert.ok(report.cases.length > 0, 'no cases found')
    assert.equal(report.passed, report.total, formatKataReport(report))
  })
}
