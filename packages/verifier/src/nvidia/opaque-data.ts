import type { JsonObject, JsonValue } from '@carapace/protocol'
import { VerificationError } from '../verifier.ts'

/*
 * NVIDIA's OpaqueData in the MEASUREMENTS response: a list of (type u16 LE, size u16 LE, data)
 * items. Decoded into the `config` claims with NVIDIA's names (nvtrust) and the encodings of
 * Trustee's local verifier, so that policies written for it work unchanged.
 */

type Encoding = 'text' | 'hex' | 'vbios' | 'counts' | 'pdi' | 'u64' | 'feature'

/** Type number → claim name and how the data is shown. */
const OPAQUE_TYPES: ReadonlyMap<number, readonly [string, Encoding]> = new Map([
  [1, ['cert_issuer_name', 'hex']],
  [2, ['cert_authority_key_identifier', 'hex']],
  [3, ['driver_version', 'text']],
  [4, ['gpu_info', 'hex']],
  [5, ['id_sku', 'hex']],
  [6, ['vbios_version', 'vbios']],
  [7, ['manufacturer_id', 'hex']],
  [8, ['tamper_detection', 'hex']],
  [9, ['smc', 'hex']],
  [10, ['vpr', 'hex']],
  [11, ['nvdec0_status', 'text']],
  [12, ['measurement_count', 'counts']],
  [13, ['cpr_info', 'hex']],
  [14, ['board_id', 'hex']],
  [15, ['chip_sku', 'text']],
  [16, ['chip_sku_mod', 'text']],
  [17, ['project', 'text']],
  [18, ['project_sku', 'text']],
  [19, ['project_sku_mod', 'hex']],
  [20, ['fwid', 'hex']],
  [21, ['protected_pcie_status', 'text']],
  [22, ['switch_pdi', 'pdi']],
  [23, ['floorswept_ports', 'hex']],
  [24, ['position_id', 'hex']],
  [25, ['lock_switch_status', 'hex']],
  [32, ['gpu_link_conn', 'hex']],
  [33, ['sys_enable_status', 'hex']],
  [34, ['opaque_data_version', 'u64']],
  [35, ['chip_info', 'text']],
  [36, ['feature_flag', 'feature']],
])

function malformed(message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `NVIDIA opaque data: ${message}`)
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** UTF-8 (lossy) without trailing NULs. */
function text(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/\0+$/u, '')
}

/** `00 9f 00 96 01 00 00 00` → `96.00.9f.00.01`: the first half reversed, then the first byte of the second. */
function vbiosVersion(bytes: Uint8Array): string {
  const half = Math.floor(bytes.length / 2)
  if (half >= bytes.length) throw malformed('vbios_version is empty')
  const first = Array.from(bytes.subarray(0, half))
    .reverse()
    .map((b) => b.toString(16).padStart(2, '0'))
  return [...first, (bytes[half] ?? 0).toString(16).padStart(2, '0')].join('.')
}

function chunks(bytes: Uint8Array, size: number, name: string): Uint8Array[] {
  if (bytes.length % size !== 0) throw malformed(`${name} is not a multiple of ${String(size)} bytes`)
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

function u64(bytes: Uint8Array, name: string): bigint {
  if (bytes.length > 8) throw malformed(`${name} is longer than 8 bytes`)
  const padded = new Uint8Array(8)
  padded.set(bytes)
  return Buffer.from(padded).readBigUInt64LE(0)
}

function decode(encoding: Encoding, data: Uint8Array, name: string): JsonValue {
  switch (encoding) {
    case 'text':
      return text(data)
    case 'hex':
      return hex(data)
    case 'vbios':
      return vbiosVersion(data)
    case 'counts': {
      const counts: JsonObject = {}
      chunks(data, 4, name).forEach((c, i) => {
        counts[String(i + 1)] = Buffer.from(c).readUInt32LE(0)
      })
      return counts
    }
    case 'pdi':
      return chunks(data, 8, name).map(hex)
    case 'u64': {
      const value = u64(data, name)
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(`${name} does not fit a JSON number`)
      return Number(value)
    }
    case 'feature':
      return ['SPT', 'MPT', 'PPCIE'][Number(u64(data, name))] ?? 'unknown'
  }
}

/** The `config` claims; `vbios_version` and `driver_version` are required (they pin the GPU's TCB). */
export function decodeOpaqueData(bytes: Uint8Array): JsonObject {
  const config: JsonObject = {}
  let offset = 0
  while (offset < bytes.length) {
    if (bytes.length - offset < 4) throw malformed('an item header is cut short')
    const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, 4)
    const type = view.readUInt16LE(0)
    const size = view.readUInt16LE(2)
    offset += 4
    if (offset + size > bytes.length) throw malformed(`item ${String(type)} runs past the end`)
    const known = OPAQUE_TYPES.get(type)
    if (known === undefined) throw malformed(`unknown item type ${String(type)}`)
    const [name, encoding] = known
    if (name in config) throw malformed(`item ${name} appears twice`)
    config[name] = decode(encoding, bytes.subarray(offset, offset + size), name)
    offset += size
  }
  if (!('vbios_version' in config) || !('driver_version' in config)) {
    throw malformed('vbios_version and driver_version must both be present')
  }
  return config
}
