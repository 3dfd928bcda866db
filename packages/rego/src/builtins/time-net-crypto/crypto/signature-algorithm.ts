import { children, oidText, type Der } from './der.ts'

/** Go's x509.SignatureAlgorithm numbering, by OID. */
const BY_OID: Readonly<Record<string, number>> = {
  '1.2.840.113549.1.1.2': 1,
  '1.2.840.113549.1.1.4': 2,
  '1.2.840.113549.1.1.5': 3,
  '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6,
  '1.2.840.10040.4.3': 7,
  '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10,
  '1.2.840.10045.4.3.3': 11,
  '1.2.840.10045.4.3.4': 12,
  '1.3.101.112': 16,
}

const RSA_PSS = '1.2.840.113549.1.1.10'
const PSS_BY_HASH: Readonly<Record<string, number>> = {
  '2.16.840.1.101.3.4.2.1': 13,
  '2.16.840.1.101.3.4.2.2': 14,
  '2.16.840.1.101.3.4.2.3': 15,
}

/** The Go enum value of a signature AlgorithmIdentifier (0 when unknown). */
export function signatureAlgorithm(oid: string, params: Der | undefined): number {
  if (oid !== RSA_PSS) return BY_OID[oid] ?? 0
  try {
    const hashAlg = params ? children(params).find((d) => d.tag === 0xa0) : undefined
    const hashOid = hashAlg ? oidText(children(children(hashAlg)[0] as Der)[0] as Der) : ''
    return PSS_BY_HASH[hashOid] ?? 0
  } catch {
    return 0
  }
}

/** How node:crypto verifies a signature of the given Go algorithm. */
export interface VerifySpec {
  hash: string | null
  pss?: boolean
}

export const VERIFY_SPECS: Readonly<Record<number, VerifySpec>> = {
  2: { hash: 'md5' },
  3: { hash: 'sha1' },
  4: { hash: 'sha256' },
  5: { hash: 'sha384' },
  6: { hash: 'sha512' },
  7: { hash: 'sha1' },
  8: { hash: 'sha256' },
  9: { hash: 'sha1' },
  10: { hash: 'sha256' },
  11: { hash: 'sha384' },
  12: { hash: 'sha512' },
  13: { hash: 'sha256', pss: true },
  14: { hash: 'sha384', pss: true },
  15: { hash: 'sha512', pss: true },
  16: { hash: null },
}

/** Algorithms Go refuses for certificate signatures (MD2/MD5/SHA-1 based). */
export const INSECURE_ALGORITHMS: ReadonlySet<number> = new Set([1, 2, 3, 7, 9])
