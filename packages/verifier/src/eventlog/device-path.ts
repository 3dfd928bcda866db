/**
 * UEFI device paths (UEFI 2.10 §10.3) as text, for the node types boot logs carry; any other node
 * is `Path(type,subtype,hex)`. Undefined when the nodes do not fit the bytes.
 */
export function formatDevicePath(bytes: Buffer): string[] | undefined {
  const out: string[] = []
  let i = 0
  while (i + 4 <= bytes.length) {
    const type = bytes[i] ?? 0
    const subType = bytes[i + 1] ?? 0
    const length = bytes.readUInt16LE(i + 2)
    if (length < 4 || i + length > bytes.length) return undefined
    if (type === 0x7f && subType === 0xff) return out
    out.push(formatNode(type, subType, bytes.subarray(i + 4, i + length)))
    i += length
  }
  return i === bytes.length ? out : undefined
}

/** EFI_GUID text: the first three fields are little-endian. */
export function formatGuid(g: Buffer): string {
  const h = (b: Buffer): string => b.toString('hex').toUpperCase()
  const le = (b: Buffer): string => h(Buffer.from(b).reverse())
  return `${le(g.subarray(0, 4))}-${le(g.subarray(4, 6))}-${le(g.subarray(6, 8))}-${h(g.subarray(8, 10))}-${h(g.subarray(10, 16))}`
}

/** A compressed EISA id (`PNP0A03`). */
function eisaId(id: number): string {
  const vendor = id & 0xffff
  const letters = [(vendor >> 10) & 0x1f, (vendor >> 5) & 0x1f, vendor & 0x1f].map((c) => String.fromCharCode(c + 0x40))
  return `${letters.join('')}${(id >>> 16).toString(16).toUpperCase().padStart(4, '0')}`
}

function formatNode(type: number, subType: number, data: Buffer): string {
  if (type === 1 && subType === 1 && data.length >= 2) return `Pci(${String(data[0])},${String(data[1])})`
  if (type === 2 && subType === 1 && data.length >= 8) {
    return `ACPI(${eisaId(data.readUInt32LE(0))},${String(data.readUInt32LE(4))})`
  }
  if (type === 4 && subType === 1 && data.length >= 38 && data[36] === 2 && data[37] === 2) {
    const start = data.readBigUInt64LE(4).toString(16)
    const size = data.readBigUInt64LE(12).toString(16)
    return `HD(${String(data.readUInt32LE(0))},GPT,${formatGuid(data.subarray(20, 36))},0x${start},0x${size})`
  }
  if (type === 4 && subType === 3 && data.length >= 16) {
    return `VenMedia(${formatGuid(data.subarray(0, 16))},${data.subarray(16).toString('hex').toUpperCase()})`
  }
  if (type === 4 && subType === 4 && data.length >= 2 && data.length % 2 === 0) {
    return `File(${data.subarray(0, data.length - 2).toString('utf16le')})`
  }
  return `Path(${String(type)},${String(subType)},${data.toString('hex')})`
}
