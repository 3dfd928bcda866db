import { RvpsError } from '../errors.ts'
import type { ExtractedReferenceValue } from '../reference-value.ts'
import { decodeStandardBase64, decodeUtf8 } from '../standard-base64.ts'
import { attributeOf, descendants, readXml, type XmlElement } from '../xml-reader.ts'

const SWID_NS = 'http://standards.iso.org/iso/19770/-2/2015/schema.xsd'
const RIMIM_NS = 'https://trustedcomputinggroup.org/resource/tcg-reference-integrity-manifest-rim-information-model/'
const HASH_NS = 'http://www.w3.org/2001/04/xmlenc#sha384'

function find(root: XmlElement, localName: string): XmlElement | undefined {
  for (const element of descendants(root)) {
    if (element.namespace === SWID_NS && element.localName === localName) return element
  }
  return undefined
}

/**
 * The `swid` provenance: base64 of a SWID / TCG RIM XML manifest (e.g. an NVIDIA GPU VBIOS RIM),
 * read as upstream does. Each `Resource type="Measurement"` under the SWID `Payload` gives the
 * value `<PlatformManufacturerStr, spaces → _>.<edition>.measurement_<index>` (then every `-`
 * → `_`), holding the list of its `Hash0`, `Hash1`, … attributes (SHA-384 namespace, read until
 * the first missing index) that are not all zeros; a measurement with none is skipped. The XML
 * signature is NOT verified (upstream neither): only for trusted registration endpoints.
 */
export function extractSwid(payload: string): ExtractedReferenceValue[] {
  const root = readXml(decodeUtf8(decodeStandardBase64(payload, 'swid payload'), 'swid payload'))
  const meta = find(root, 'Meta')
  if (meta === undefined) throw new RvpsError('INVALID_PAYLOAD', 'SWID manifest has no Meta element')
  const manufacturer = attributeOf(meta, RIMIM_NS, 'PlatformManufacturerStr')
  if (manufacturer === undefined) {
    throw new RvpsError('INVALID_PAYLOAD', 'SWID Meta element has no PlatformManufacturerStr attribute')
  }
  const edition = attributeOf(meta, undefined, 'edition')
  if (edition === undefined) throw new RvpsError('INVALID_PAYLOAD', 'SWID Meta element has no edition attribute')
  const prefix = `${manufacturer.replaceAll(' ', '_')}.${edition}`
  const body = find(root, 'Payload')
  if (body === undefined) throw new RvpsError('INVALID_PAYLOAD', 'SWID manifest has no Payload element')

  const values: ExtractedReferenceValue[] = []
  for (const resource of descendants(body)) {
    if (resource.namespace !== SWID_NS || resource.localName !== 'Resource') continue
    if (attributeOf(resource, undefined, 'type') !== 'Measurement') continue
    const index = attributeOf(resource, undefined, 'index')
    if (index === undefined) throw new RvpsError('INVALID_PAYLOAD', 'SWID Measurement resource has no index attribute')
    // Rego identifiers cannot hold dashes.
    const name = `${prefix}.measurement_${index}`.replaceAll('-', '_')
    const hashes: string[] = []
    for (let i = 0; ; i++) {
      const hash = attributeOf(resource, HASH_NS, `Hash${i}`)
      if (hash === undefined) break
      // All zeros usually means "nothing measured at this index", not a real digest.
      if (!/^0*$/.test(hash)) hashes.push(hash)
    }
    if (hashes.length > 0) values.push({ name, value: hashes })
  }
  return values
}
