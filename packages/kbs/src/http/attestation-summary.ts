/** AR4SI: trust claim values from 32 up are warning (32–95) or contraindicated (96–127). */
const NOT_AFFIRMING_FROM = 32

type Fields = Record<string, unknown>

/**
 * One log line's worth of an attestation service explanation (the built-in AS's
 * `{submods: {<name>: {status, policyId, trustClaims, referenceValues, sampleTeeGate?}}}`):
 * the status per submodule, each trust claim that is not affirming with where it came from,
 * and the reference values the policy looked up. Undefined for an explanation of another shape.
 * `cpu0: contraindicated by default_cpu; hardware=97 (sample TEE gate), executables=33 (rule);
 * reference values: svn=found`.
 */
export function summarizeAttestationExplanation(explanation: unknown): string | undefined {
  const submods = asFields(asFields(explanation)?.['submods'])
  if (submods === undefined) return undefined
  const parts = Object.entries(submods).map(([name, raw]) => {
    const submod = asFields(raw) ?? {}
    const status = typeof submod['status'] === 'string' ? submod['status'] : 'unknown'
    const policy = typeof submod['policyId'] === 'string' ? ` by ${submod['policyId']}` : ''
    const claims = Object.entries(asFields(submod['trustClaims']) ?? {}).flatMap(([claim, rawClaim]) => {
      const detail = asFields(rawClaim)
      const value = detail?.['value']
      if (typeof value !== 'number' || value < NOT_AFFIRMING_FROM) return []
      if (claim === 'hardware' && typeof submod['sampleTeeGate'] === 'string') return []
      const source = typeof detail?.['source'] === 'string' ? detail['source'] : '?'
      return [`${claim}=${String(value)} (${source}${ruleSummary(detail?.['rule'])})`]
    })
    if (typeof submod['sampleTeeGate'] === 'string') claims.unshift('hardware=97 (sample TEE gate)')
    if (submod['trustClaimsUndefined'] === true) claims.push('trust_claims undefined')
    const lookups = Array.isArray(submod['referenceValues']) ? submod['referenceValues'] : []
    const values = lookups.flatMap((rawLookup) => {
      const lookup = asFields(rawLookup)
      return typeof lookup?.['id'] === 'string' ? [`${lookup['id']}=${String(lookup['status'])}`] : []
    })
    return [
      `${name}: ${status}${policy}`,
      claims.length === 0 ? 'no trust claim warning or contraindicated' : claims.join(', '),
      `reference values: ${values.length === 0 ? 'none looked up' : values.join(', ')}`,
    ].join('; ')
  })
  return parts.join(' | ')
}

/**
 * The bodies of the claim's rule that applied (got past their first expression, which is how
 * the policies select a TEE) and where each stopped: `; policy.rego:83 \`x in y\` with x = "1"`.
 */
function ruleSummary(rule: unknown): string {
  const bodies = asFields(rule)?.['bodies']
  if (!Array.isArray(bodies)) return ''
  const stopped = bodies.flatMap((body) => {
    const failed = asFields(asFields(body)?.['failed'])
    if (failed === undefined || typeof failed['index'] !== 'number' || failed['index'] === 0) return []
    const values = (Array.isArray(failed['values']) ? failed['values'] : []).flatMap((raw) => {
      const v = asFields(raw)
      return typeof v?.['ref'] === 'string'
        ? [`${v['ref']} = ${typeof v['value'] === 'string' ? v['value'] : 'undefined'}`]
        : []
    })
    return [
      `${String(failed['location'])} \`${String(failed['text'])}\`${values.length === 0 ? '' : ` with ${values.join(', ')}`}`,
    ]
  })
  return stopped.length === 0 ? '; no rule body applied' : `; ${stopped.join('; ')}`
}

function asFields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined
}
