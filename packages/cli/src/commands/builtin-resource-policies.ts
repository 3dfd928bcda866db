import { DEFAULT_RESOURCE_POLICY } from '@carapace/kbs'

/** `set-resource-policy --allow-all`: every resource to any token (Trustee's allow_all.rego, same rule). */
export const ALLOW_ALL_RESOURCE_POLICY = `package policy

default allow := false

allow if {
  data.plugin == "resource"
}
`

/** `set-resource-policy --deny-all`: nothing is released (Trustee's deny_all.rego, same rule). */
export const DENY_ALL_RESOURCE_POLICY = `package policy

default allow := false
`

/**
 * The built-in policies by flag. `--affirming` and `--default` are both the KBS's default
 * policy: every submodule of the token affirming (Trustee's affirming.rego rule; Carapace's
 * default, unlike Trustee's, which releases to any non-sample TEE).
 */
export const BUILTIN_RESOURCE_POLICIES = {
  'allow-all': ALLOW_ALL_RESOURCE_POLICY,
  'deny-all': DENY_ALL_RESOURCE_POLICY,
  affirming: DEFAULT_RESOURCE_POLICY,
  default: DEFAULT_RESOURCE_POLICY,
} as const
