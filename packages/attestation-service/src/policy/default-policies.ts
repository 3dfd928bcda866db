import { readFile } from 'node:fs/promises'

/** The built-in policies: id → file in the package's `policies/` folder (see its README). */
export const DEFAULT_POLICY_FILES = {
  default_cpu: 'ear_default_policy_cpu.rego',
  default_gpu: 'ear_default_policy_gpu.rego',
  default_switch: 'ear_default_policy_switch.rego',
  default_ppcie: 'ear_default_policy_ppcie.rego',
} as const

/** Reads the built-in policy texts (relative to the compiled module: `dist/policy/` → `policies/`). */
export async function readDefaultPolicies(): Promise<Array<{ id: string; text: string }>> {
  return Promise.all(
    Object.entries(DEFAULT_POLICY_FILES).map(async ([id, file]) => ({
      id,
      text: await readFile(new URL(`../../policies/${file}`, import.meta.url), 'utf8'),
    })),
  )
}
