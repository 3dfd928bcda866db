/**
 * Carapace's default resource policy, stricter than Trustee's default.rego (which releases any
 * resource to any non-sample TEE whatever its ear.status): like upstream affirming.rego, every
 * submodule of the EAR token must be `affirming` and there must be at least one. The sample TEE's
 * claims are never affirming unless the attestation service runs with its development flag.
 */
export const DEFAULT_RESOURCE_POLICY = `package policy

default allow := false

allow if {
  data.plugin == "resource"
  count(input.submods) > 0
  every _, submod in input.submods {
    submod["ear.status"] == "affirming"
  }
}
`
