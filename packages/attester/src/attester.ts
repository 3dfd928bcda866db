import type { JsonValue, Tee } from '@carapace/protocol'

/**
 * Produces TEE evidence binding `reportData` (the runtime-data digest). The evidence is the JSON
 * value sent as `tee-evidence.primary_evidence` (or inside `additional_evidence` for devices).
 */
export interface Attester {
  readonly tee: Tee
  evidence(reportData: Uint8Array): Promise<JsonValue>
}
