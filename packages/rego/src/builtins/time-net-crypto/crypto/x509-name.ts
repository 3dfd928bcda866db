import { children, DerError, expectTag, oidArcs, stringValue, TAG, type Der } from './der.ts'
import { nilIfEmpty, type GoJson } from './go-value.ts'

const STRING_TAGS: ReadonlySet<number> = new Set([
  TAG.T61_STRING,
  TAG.PRINTABLE_STRING,
  TAG.UTF8_STRING,
  TAG.BMP_STRING,
  TAG.IA5_STRING,
  TAG.NUMERIC_STRING,
])

/** Go's pkix.Name as JSON, filled from an RDNSequence the way FillFromRDNSequence does. */
export function parseName(rdnSequence: Der): { [key: string]: GoJson } {
  const lists: Record<string, string[]> = {
    Country: [],
    Organization: [],
    OrganizationalUnit: [],
    Locality: [],
    Province: [],
    StreetAddress: [],
    PostalCode: [],
  }
  let serialNumber = ''
  let commonName = ''
  const names: GoJson[] = []
  for (const rdn of children(expectTag(rdnSequence, TAG.SEQUENCE, 'RDNSequence'))) {
    for (const atv of children(expectTag(rdn, TAG.SET, 'RDNSequence'))) {
      const [type, value] = children(expectTag(atv, TAG.SEQUENCE, 'RDNSequence'))
      const arcs = oidArcs(expectTag(type, TAG.OID, 'RDNSequence'))
      if (!value || !STRING_TAGS.has(value.tag)) {
        throw new DerError(
          `x509: invalid RDNSequence: invalid attribute value: unsupported string type: ${value?.tag ?? 0}`,
        )
      }
      const text = stringValue(value)
      names.push({ Type: arcs, Value: text })
      if (arcs.length === 4 && arcs[0] === 2 && arcs[1] === 5 && arcs[2] === 4) {
        const field = (
          {
            6: 'Country',
            7: 'Locality',
            8: 'Province',
            9: 'StreetAddress',
            10: 'Organization',
            11: 'OrganizationalUnit',
            17: 'PostalCode',
          } as Record<number, string>
        )[arcs[3] as number]
        if (arcs[3] === 3) commonName = text
        else if (arcs[3] === 5) serialNumber = text
        else if (field) lists[field]?.push(text)
      }
    }
  }
  return {
    Country: nilIfEmpty(lists['Country'] as string[]),
    Organization: nilIfEmpty(lists['Organization'] as string[]),
    OrganizationalUnit: nilIfEmpty(lists['OrganizationalUnit'] as string[]),
    Locality: nilIfEmpty(lists['Locality'] as string[]),
    Province: nilIfEmpty(lists['Province'] as string[]),
    StreetAddress: nilIfEmpty(lists['StreetAddress'] as string[]),
    PostalCode: nilIfEmpty(lists['PostalCode'] as string[]),
    SerialNumber: serialNumber,
    CommonName: commonName,
    Names: nilIfEmpty(names),
    ExtraNames: null,
  }
}
