import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { compile } from '../index.ts'
import type { CompiledPolicy, CompileOptions, ModuleSource } from '../api.ts'
import type { Value } from '../value/value.ts'
import { parseJson } from '../value/json.ts'

/**
 * `packages/rego/fixtures/coco/`: the same relative path from `src/coco/` and `dist/coco/`.
 */
export const COCO_FIXTURES = fileURLToPath(new URL('../../fixtures/coco/', import.meta.url))

/** Text of a fixture file, by its upstream-style path, e.g. `trustee/kbs/sample_policies/default.rego`. */
export function readFixture(relativePath: string): string {
  return readFileSync(COCO_FIXTURES + relativePath, 'utf8')
}

/** A fixture JSON file as a Rego value (lossless numbers). */
export function readFixtureJson(relativePath: string): Value {
  return parseJson(readFixture(relativePath))
}

/** A fixture policy as a module named by its fixture path. */
export function fixtureModule(relativePath: string): ModuleSource {
  return { name: relativePath, text: readFixture(relativePath) }
}

/** Compile one or more fixture policies together. */
export function compileFixtures(relativePaths: readonly string[], options?: CompileOptions): CompiledPolicy {
  return compile(relativePaths.map(fixtureModule), options)
}

/** Fixture paths used by several tests and the benchmark. */
export const FIXTURE = {
  kbsDefault: 'trustee/kbs/sample_policies/default.rego',
  kbsAllowAll: 'trustee/kbs/sample_policies/allow_all.rego',
  kbsDenyAll: 'trustee/kbs/sample_policies/deny_all.rego',
  kbsAffirming: 'trustee/kbs/sample_policies/affirming.rego',
  earCpu: 'trustee/attestation-service/src/ear_token/ear_default_policy_cpu.rego',
  earGpu: 'trustee/attestation-service/src/ear_token/ear_default_policy_gpu.rego',
  earSwitch: 'trustee/attestation-service/src/ear_token/ear_default_policy_switch.rego',
  earPpcie: 'trustee/attestation-service/src/ear_token/ear_default_policy_ppcie.rego',
  policyEngineDir: 'trustee/deps/policy-engine/test_data/',
  kataRules: 'kata-containers/src/tools/genpolicy/rules.rego',
  kataSettings: 'kata-containers/src/tools/genpolicy/genpolicy-settings.json',
  kataOpaDir: 'kata-containers/src/kata-opa/',
  regorusKataData: 'regorus/tests/kata/data/',
} as const
