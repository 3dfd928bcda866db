import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { summarizeAttestationExplanation } from './attestation-summary.ts'

describe('summarizeAttestationExplanation', () => {
  it('shows, per non-affirming claim, the rule bodies that applied and where they stopped', () => {
    const failedAt = (index: number, location: string, text: string, values: unknown[]) => ({
      location: 'policy.rego:1',
      failed: { index, location, text, values },
    })
    const summary = summarizeAttestationExplanation({
      submods: {
        cpu0: {
          policyId: 'default_cpu',
          status: 'contraindicated',
          trustClaims: {
            hardware: {
              value: 97,
              source: 'default',
              rule: {
                rule: 'data.policy.hardware',
                bodies: [
                  failedAt(2, 'policy.rego:83', 'input.sample.svn in query_reference_value("svn")', [
                    { ref: 'input.sample.svn', value: '"1"' },
                  ]),
                  failedAt(0, 'policy.rego:110', 'input.snp', [{ ref: 'input.snp' }]),
                ],
              },
            },
            configuration: {
              value: 36,
              source: 'default',
              rule: { bodies: [failedAt(0, 'policy.rego:90', 'input.snp', [])] },
            },
            executables: { value: 3, source: 'rule' },
          },
          referenceValues: [{ id: 'svn', status: 'found' }],
        },
        gpu0: { status: 'affirming', trustClaims: {}, referenceValues: [] },
      },
    })
    assert.equal(
      summary,
      'cpu0: contraindicated by default_cpu; hardware=97 (default; policy.rego:83 ' +
        '`input.sample.svn in query_reference_value("svn")` with input.sample.svn = "1"), ' +
        'configuration=36 (default; no rule body applied); reference values: svn=found' +
        ' | gpu0: affirming; no trust claim warning or contraindicated; reference values: none looked up',
    )
  })

  it('is undefined for explanations of another shape', () => {
    assert.equal(summarizeAttestationExplanation(undefined), undefined)
    assert.equal(summarizeAttestationExplanation({ submods: [] }), undefined)
    assert.equal(summarizeAttestationExplanation('text'), undefined)
  })
})
