import { createHash } from 'node:crypto'
import type { JsonObject } from '@carapace/protocol'
import { subjectCommonName, tcbInfoFwids } from './dice-certificate.ts'
import type { DiceChain } from './dice-chain.ts'

/** A serial number as upstream prints it: the value octets as one unsigned number, lower-case hex. */
function serialHex(serial: Uint8Array): string {
  return BigInt(`0x${Buffer.from(serial).toString('hex')}`).toString(16)
}

/**
 * Upstream's claims of a verified chain: from the DeviceID certificate its serial, subject CN
 * (`device_class`) and TcbInfo FWIDs (count, and SHA-384 over the digests concatenated in order);
 * the Alias certificate's notBefore in Unix seconds; and, when report data was given, that data as
 * `session_nonce` (hex).
 */
export function nvidiaDpuClaims(chain: DiceChain, reportData: Uint8Array | undefined): JsonObject {
  const deviceId = chain.deviceId.parsed
  const fwids = tcbInfoFwids(deviceId)
  const accumulated = createHash('sha384')
  for (const fwid of fwids) accumulated.update(fwid)
  return {
    device_serial: serialHex(deviceId.serial),
    device_class: subjectCommonName(deviceId),
    firmware_layers_count: fwids.length,
    accumulated_fwid: accumulated.digest('hex'),
    alias_timestamp: Math.floor(chain.alias.parsed.notBefore.getTime() / 1000),
    ...(reportData === undefined ? {} : { session_nonce: Buffer.from(reportData).toString('hex') }),
  }
}
