import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseKbsConfig } from '../config/index.ts'
import { insecureConfigWarnings } from './insecure-config-warnings.ts'

const config = (text: string) => parseKbsConfig(text, { fileName: 'kbs-config.toml' }).config

describe('insecureConfigWarnings', () => {
  it('names InsecureAllowAll and insecure_header_jwk, each with the config key', () => {
    const warnings = insecureConfigWarnings(
      config('[admin]\ntype = "InsecureAllowAll"\n[attestation_token]\ninsecure_header_jwk = true\n'),
    )
    assert.equal(warnings.length, 2)
    assert.match(warnings[0] ?? '', /^INSECURE: \[admin\] authorization_mode = "InsecureAllowAll"; anyone/)
    assert.match(warnings[1] ?? '', /^INSECURE: \[attestation_token\] insecure_header_jwk = true; .*forge/)
  })

  it('warns for the legacy spellings that mean the same', () => {
    const legacy = insecureConfigWarnings(
      config('[admin]\ninsecure_api = true\n[attestation_token]\ninsecure_key = true\n'),
    )
    assert.equal(legacy.length, 2)
  })

  it('says nothing for the safe settings', () => {
    assert.deepEqual(insecureConfigWarnings(config('[admin]\ntype = "DenyAll"\n')), [])
    assert.deepEqual(insecureConfigWarnings(config('')), [])
  })
})
