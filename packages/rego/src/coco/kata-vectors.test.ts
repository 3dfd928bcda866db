import { test } from 'node:test'
import assert from 'node:assert/strict'
import { COCO_FIXTURES, FIXTURE } from './fixtures.ts'
import { formatKataReport, listKataCases, parseKataInputs, runKataVectors } from './kata-vectors.ts'

const dir = COCO_FIXTURES + FIXTURE.regorusKataData

test('parseKataInputs reads regorus inputs.txt lines', () => {
  const lines = parseKataInputs(
    '["ep":"AllowRequestsFailingPolicy",{}],\n\n["ep":"StartContainerRequest",{"container_id":"c1"}],\n',
  )
  assert.equal(lines.length, 2)
  assert.equal(lines[0]?.name, 'AllowRequestsFailingPolicy')
  assert.equal(lines[1]?.name, 'StartContainerRequest')
})

test('the fixture cases are found', () => {
  assert.deepEqual(listKataCases(dir), ['k8s-policy-pod', 'pod-cm1', 'pod-many-layers'])
})

test('regorus Kata vectors (fixture cases) all pass', (t) => {
  const report = runKataVectors(dir)
  t.diagnostic(formatKataReport(report))
  assert.equal(report.total, 17 + 25 + 70)
  assert.deepEqual(
    report.cases.flatMap((c) => c.failures),
    [],
    formatKataReport(report),
  )
  assert.equal(report.passed, report.total)
})
