import type { JsonObject, JsonValue } from '@carapace/protocol'
import { formatDevicePath } from './device-path.ts'

/**
 * The `details` of one `uefi_event_logs` entry, decoded from the event data per event type the way
 * upstream's claims show them. Data that does not decode gives `undefined`: the caller rejects it.
 */
export function eventDetails(typeName: string, data: Buffer): JsonObject | undefined {
  switch (typeName) {
    case 'EV_POST_CODE':
    case 'EV_ACTION':
    case 'EV_COMPACT_HASH':
    case 'EV_OMIT_BOOT_DEVICE_EVENTS':
    case 'EV_EFI_ACTION':
      return stringDetails(utf8(data))
    case 'EV_EVENT_TAG':
      return eventTag(data)
    case 'EV_PLATFORM_CONFIG_FLAGS': {
      // Free-form: td-shim writes a descriptor, a length with a 0x10 byte, then text.
      const text = utf8(data) ?? ''
      return {
        string: Array.from(text.replaceAll('\u0010', ' '))
          .filter((c) => !isControl(c))
          .join(''),
      }
    }
    case 'EV_IPL':
      return stringDetails(ipl(data))
    case 'EV_EFI_VARIABLE_DRIVER_CONFIG':
    case 'EV_EFI_VARIABLE_BOOT':
    case 'EV_EFI_VARIABLE_BOOT2':
    case 'EV_EFI_VARIABLE_AUTHORITY':
      return efiVariable(data)
    case 'EV_EFI_BOOT_SERVICES_APPLICATION':
      return imageLoad(data)
    case 'EV_EFI_PLATFORM_FIRMWARE_BLOB2':
    case 'EV_EFI_HANDOFF_TABLES2': {
      const size = data[0]
      if (size === undefined || data.length < 1 + size) return undefined
      return stringDetails(utf8(data.subarray(1, 1 + size))?.replace(/\0+$/, ''))
    }
    default:
      return {}
  }
}

const stringDetails = (s: string | undefined): JsonObject | undefined => (s === undefined ? undefined : { string: s })

const UTF8 = new TextDecoder('utf-8', { fatal: true })
const UTF16 = new TextDecoder('utf-16le', { fatal: true })

function utf8(data: Buffer): string | undefined {
  try {
    return UTF8.decode(data)
  } catch {
    return undefined
  }
}

function utf16(data: Buffer): string | undefined {
  if (data.length % 2 !== 0) return undefined
  try {
    return UTF16.decode(data)
  } catch {
    return undefined
  }
}

function isControl(c: string): boolean {
  const code = c.codePointAt(0) ?? 0
  return code < 0x20 || (code >= 0x7f && code < 0xa0)
}

/** TCG_PCClientTaggedEvent; the Attestation Agent's own log entries (tag "AAEL") carry domain, operation, content. */
function eventTag(data: Buffer): JsonObject | undefined {
  if (data.length < 8) return undefined
  const size = data.readUInt32LE(4)
  if (data.length < 8 + size) return undefined
  const text = utf8(data.subarray(8, 8 + size))
  if (text === undefined) return undefined
  if (data.subarray(0, 4).toString('latin1') === 'LEAA') {
    const [domain = '', operation = '', ...rest] = text.split(' ')
    return { data: { content: jsonOrText(rest.join(' ')), domain, operation }, string: text, unicode_name: 'AAEL' }
  }
  return { string: text.replaceAll('\0', '') }
}

function jsonOrText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return text
  }
}

/** Vendor-defined: GCE writes "." + UTF-16LE, others a NUL-terminated string (hex if not UTF-8). */
function ipl(data: Buffer): string | undefined {
  if (data.length < 2) return undefined
  if (data[0] === 0x2e && data[1] === 0x00) {
    const body = data.subarray(2, data.length - 2)
    if (data.length === 2 || data.length % 2 !== 0) return undefined
    return Buffer.from(body).toString('utf16le')
  }
  const end = data.indexOf(0)
  return utf8(data.subarray(0, end === -1 ? data.length : end)) ?? data.toString('hex')
}

/** UEFI_VARIABLE_DATA: GUID, name length (chars), data length, UTF-16 name, data. */
function efiVariable(data: Buffer): JsonObject | undefined {
  if (data.length < 32) return undefined
  const nameLength = data.readBigUInt64LE(16)
  const dataLength = data.readBigUInt64LE(24)
  if (nameLength > BigInt(data.length) || dataLength > BigInt(data.length)) return undefined
  const nameEnd = 32 + Number(nameLength) * 2
  const dataEnd = nameEnd + Number(dataLength)
  if (data.length < dataEnd) return undefined
  const name = utf16(data.subarray(32, nameEnd))
  if (name === undefined) return undefined
  const g = data.subarray(0, 16).toString('hex')
  return {
    unicode_name: name,
    unicode_name_length: Number(nameLength),
    variable_data: data.subarray(nameEnd, dataEnd).toString('base64'),
    variable_data_length: Number(dataLength),
    variable_name: `${g.slice(0, 8)}-${g.slice(8, 12)}-${g.slice(12, 16)}-${g.slice(16, 20)}-${g.slice(20)}`,
  }
}

/** UEFI_IMAGE_LOAD_EVENT: location, length, link address, device path length, device path. */
function imageLoad(data: Buffer): JsonObject | undefined {
  if (data.length < 32) return undefined
  const length = data.readBigUInt64LE(24)
  if (length === 0n) return {}
  if (length < 4n || BigInt(data.length) < 32n + length) return undefined
  const paths = formatDevicePath(data.subarray(32, 32 + Number(length)))
  return paths === undefined ? undefined : { device_paths: paths }
}
