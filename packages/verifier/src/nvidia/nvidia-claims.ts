import type { JsonObject } from '@carapace/protocol'
import type { NvidiaDeviceEvidence } from './nvidia-evidence.ts'
import type { SpdmMeasurementReport } from './spdm-measurements.ts'

/**
 * The claims of one verified GPU as Trustee's local verifier produces them: `arch`, `uuid` (when
 * the attester sent one), `measurements` (block index → hex value) and `config` (the decoded
 * opaque data).
 */
export function nvidiaDeviceClaims(
  device: NvidiaDeviceEvidence,
  report: SpdmMeasurementReport,
  config: JsonObject,
): JsonObject {
  const measurements: JsonObject = {}
  for (const block of report.blocks) measurements[String(block.index)] = Buffer.from(block.value).toString('hex')
  return {
    arch: device.arch,
    ...(device.uuid === undefined ? {} : { uuid: device.uuid }),
    measurements,
    config,
  }
}
