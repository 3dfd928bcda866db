import { createHash, createPublicKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto'
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from '@carapace/protocol/der'
import { ipAddressBytes } from './ip-address-bytes.ts'
import { KbsServerError } from './server-error.ts'

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const

export interface SelfSignedCertificateOptions {
  /** An EC P-256 private key; the certificate carries its public key and is signed with it (ES256). */
  readonly privateKey: KeyObject
  readonly commonName: string
  readonly organization?: string
  /** Subject alternative names: DNS names and IP address literals (`127.0.0.1`, `::1`). */
  readonly dnsNames?: readonly string[]
  readonly ipAddresses?: readonly string[]
  readonly notBefore: Date
  readonly notAfter: Date
  /** Adds extKeyUsage serverAuth (a TLS server certificate). */
  readonly serverAuth?: boolean
  /** basicConstraints cA; default false (rustls/webpki refuse a CA certificate as the server's own). */
  readonly isCa?: boolean
  /** 16 random bytes by default. */
  readonly serialNumber?: Uint8Array
}

export interface SelfSignedCertificate {
  readonly der: Buffer
  readonly pem: string
}

const DNS_NAME =
  /^(?=.{1,253}$)(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

function extension(oid: string, critical: boolean, value: Uint8Array): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value))
}

function name(commonName: string, organization: string | undefined): Buffer {
  const attribute = (oid: string, value: string): Buffer => set(sequence(objectIdentifier(oid), utf8String(value)))
  return sequence(
    ...(organization === undefined ? [] : [attribute(OID.organization, organization)]),
    attribute(OID.commonName, commonName),
  )
}

function subjectAltName(dnsNames: readonly string[], ipAddresses: readonly string[]): Buffer {
  const names = [
    ...dnsNames.map((dns) => {
      if (!DNS_NAME.test(dns)) throw new KbsServerError('INVALID_ARGUMENT', `not a DNS name: ${JSON.stringify(dns)}`)
      return implicitPrimitive(2, Buffer.from(dns, 'ascii'))
    }),
    ...ipAddresses.map((ip) => {
      const bytes = ipAddressBytes(ip)
      if (bytes === undefined) throw new KbsServerError('INVALID_ARGUMENT', `not an IP address: ${JSON.stringify(ip)}`)
      return implicitPrimitive(7, bytes)
    }),
  ]
  return sequence(...names)
}

/** keyUsage bits: digitalSignature (bit 0) and, for a CA, keyCertSign (bit 5). */
function keyUsage(isCa: boolean): Buffer {
  return isCa ? tlv(0x03, Buffer.from([0x02, 0x84])) : tlv(0x03, Buffer.from([0x07, 0x80]))
}

/**
 * An X.509 v3 certificate signed by its own key (ECDSA P-256, SHA-256): what `carapace kbs serve`
 * serves over TLS and puts in token headers (`x5c`) when no certificate was configured.
 */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions): SelfSignedCertificate {
  const key = options.privateKey
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new KbsServerError('INVALID_ARGUMENT', 'self-signed certificates need an EC P-256 private key')
  }
  if (!(options.notBefore.getTime() < options.notAfter.getTime())) {
    throw new KbsServerError('INVALID_ARGUMENT', 'certificate notBefore must be before notAfter')
  }
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' })
  // The BIT STRING contents of the SPKI: a P-256 SPKI ends with the 65-byte uncompressed point.
  const publicPoint = spki.subarray(spki.length - 65)
  const isCa = options.isCa ?? false
  const serial = Buffer.from(options.serialNumber ?? randomBytes(16))
  serial[0] = (serial[0] ?? 0) & 0x7f || 0x01
  const subject = name(options.commonName, options.organization)
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256))
  const extensions = [
    extension(OID.basicConstraints, true, sequence(...(isCa ? [boolean(true)] : []))),
    extension(OID.keyUsage, true, keyUsage(isCa)),
    ...(options.serverAuth === true
      ? [extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth)))]
      : []),
    extension(OID.subjectKeyIdentifier, false, octetString(createHash('sha1').update(publicPoint).digest())),
    ...((options.dnsNames?.length ?? 0) + (options.ipAddresses?.length ?? 0) > 0
      ? [extension(OID.subjectAltName, false, subjectAltName(options.dnsNames ?? [], options.ipAddresses ?? []))]
      : []),
  ]
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    signatureAlgorithm,
    subject,
    sequence(time(options.notBefore), time(options.notAfter)),
    subject,
    spki,
    explicit(3, sequence(...extensions)),
  )
  const signature = sign('sha256', tbs, key)
  const der = sequence(tbs, signatureAlgorithm, bitString(signature))
  // Parsing it back is the check that the encoding is one OpenSSL accepts.
  new X509Certificate(der)
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')
  return { der, pem: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n` }
}
