import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sampleTeeGateHint } from './sample-tee-hint.ts'

const jwt = (claims: unknown): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`

describe('sampleTeeGateHint', () => {
  it('names the submodules the sample TEE gate rated hardware 97', () => {
    const hint = sampleTeeGateHint(
      jwt({
        submods: {
          cpu0: { 'ear.trustworthiness-vector': { hardware: 97 } },
          gpu0: { 'ear.trustworthiness-vector': { hardware: 2 } },
        },
      }),
    )
    assert.match(hint ?? '', /^the token rates cpu0 hardware 97 \(no genuine TEE\)/)
    assert.match(hint ?? '', /--insecure-allow-sample-tee/)
  })

  it('says nothing for a token without the gate, or one it cannot read', () => {
    assert.equal(
      sampleTeeGateHint(jwt({ submods: { cpu0: { 'ear.trustworthiness-vector': { hardware: 2 } } } })),
      undefined,
    )
    assert.equal(sampleTeeGateHint(jwt({ submods: { cpu0: {} } })), undefined)
    assert.equal(sampleTeeGateHint(jwt({})), undefined)
    assert.equal(sampleTeeGateHint('not a jwt'), undefined)
    assert.equal(sampleTeeGateHint(''), undefined)
  })
})
