import { constants, createHash, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto'
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  nullValue,
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

/**
 * A tiny synthetic PKI for tests: certificates and CRLs signed with node:crypto keys, so negative
 * paths (revoked, expired, untrusted, broken links) need no openssl and no vendor data.
 */

export type TestKeyType = 'ec-p256' | 'ec-p384' | 'rsa-pss' | 'rsa'

export interface TestKey {
  readonly type: TestKeyType
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

const rsaKeys = new Map<TestKeyType, TestKey>()

/** A fresh EC key, or (RSA being slow to generate) one RSA key per type reused for the test run. */
export function testKey(type: TestKeyType = 'ec-p256'): TestKey {
  if (type === 'ec-p256' || type === 'ec-p384') {
    const pair = generateKeyPairSync('ec', { namedCurve: type === 'ec-p256' ? 'P-256' : 'P-384' })
    return { type, ...pair }
  }
  const cached = rsaKeys.get(type)
  if (cached !== undefined) return cached
  const key = { type, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) }
  rsaKeys.set(type, key)
  return key
}

/** A fresh RSA key (not cached) — for tests that need two distinct RSA keys. */
export function freshRsaKey(type: 'rsa' | 'rsa-pss' = 'rsa'): TestKey {
  return { type, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) }
}

const SHA384 = sequence(objectIdentifier('2.16.840.1.101.3.4.2.2'), nullValue())

function algorithmIdentifier(type: TestKeyType): Buffer {
  switch (type) {
    case 'ec-p256':
      return sequence(objectIdentifier('1.2.840.10045.4.3.2'))
    case 'ec-p384':
      return sequence(objectIdentifier('1.2.840.10045.4.3.3'))
    case 'rsa':
      return sequence(objectIdentifier('1.2.840.113549.1.1.11'), nullValue())
    case 'rsa-pss':
      // As AMD signs: SHA-384, MGF1-SHA-384, salt 48.
      return sequence(
        objectIdentifier('1.2.840.113549.1.1.10'),
        sequence(
          explicit(0, SHA384),
          explicit(1, sequence(objectIdentifier('1.2.840.113549.1.1.8'), SHA384)),
          explicit(2, smallInteger(48)),
        ),
      )
  }
}

function signWith(key: TestKey, data: Uint8Array): Buffer {
  switch (key.type) {
    case 'ec-p256':
      return sign('sha256', data, key.privateKey)
    case 'ec-p384':
      return sign('sha384', data, key.privateKey)
    case 'rsa':
      return sign('sha256', data, key.privateKey)
    case 'rsa-pss':
      return sign('sha384', data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 })
  }
}

export function testName(commonName: string): Buffer {
  return sequence(set(sequence(objectIdentifier('2.5.4.3'), utf8String(commonName))))
}

export interface TestExtension {
  readonly oid: string
  readonly critical?: boolean
  readonly value: Uint8Array
}

export interface TestCertificateOptions {
  readonly commonName: string
  /** The issuing certificate; self-signed when absent. */
  readonly issuer?: TestCertificate
  readonly key?: TestKey
  readonly notBefore?: Date
  readonly notAfter?: Date
  /** Adds basicConstraints cA=true (with keyCertSign + cRLSign key usage). */
  readonly ca?: boolean
  readonly pathLength?: number
  /** No basicConstraints / keyUsage extension at all. */
  readonly bare?: boolean
  readonly serial?: Uint8Array
  readonly extensions?: readonly TestExtension[]
  /** Adds subject/authority key identifiers (default true). */
  readonly keyIdentifiers?: boolean
  /** Overrides the AKI keyIdentifier (to build mismatching links). */
  readonly authorityKeyId?: Uint8Array
}

export interface TestCertificate {
  readonly der: Uint8Array
  readonly x509: X509Certificate
  readonly key: TestKey
  readonly name: Buffer
  readonly keyId: Buffer
}

let serialCounter = 1

function keyIdOf(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest()
}

export function createTestCertificate(options: TestCertificateOptions): TestCertificate {
  const key = options.key ?? testKey()
  const signer = options.issuer?.key ?? key
  const name = testName(options.commonName)
  const issuerName = options.issuer?.name ?? name
  const keyId = keyIdOf(key.publicKey)
  const issuerKeyId = options.authorityKeyId ?? options.issuer?.keyId ?? keyId
  serialCounter += 1
  const serial = options.serial ?? Buffer.from([0x10, serialCounter >> 8, serialCounter & 0xff])
  const extensions: Buffer[] = []
  const extension = (oid: string, critical: boolean, value: Uint8Array): Buffer =>
    sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value))
  if (options.bare !== true) {
    const ca = options.ca === true
    extensions.push(
      extension(
        '2.5.29.19',
        true,
        sequence(
          ...(ca ? [boolean(true)] : []),
          ...(options.pathLength === undefined ? [] : [smallInteger(options.pathLength)]),
        ),
      ),
      // keyUsage: digitalSignature, or keyCertSign + cRLSign for a CA.
      extension('2.5.29.15', true, ca ? tlv(0x03, Buffer.from([0x01, 0x06])) : tlv(0x03, Buffer.from([0x07, 0x80]))),
    )
  }
  if (options.keyIdentifiers !== false) {
    extensions.push(
      extension('2.5.29.14', false, octetString(keyId)),
      extension('2.5.29.35', false, sequence(implicitPrimitive(0, issuerKeyId))),
    )
  }
  for (const extra of options.extensions ?? [])
    extensions.push(extension(extra.oid, extra.critical ?? false, extra.value))
  const algorithm = algorithmIdentifier(signer.type)
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    issuerName,
    sequence(
      time(options.notBefore ?? new Date('2020-01-01T00:00:00Z')),
      time(options.notAfter ?? new Date('2040-01-01T00:00:00Z')),
    ),
    name,
    key.publicKey.export({ type: 'spki', format: 'der' }),
    ...(extensions.length === 0 ? [] : [explicit(3, sequence(...extensions))]),
  )
  const der = new Uint8Array(sequence(tbs, algorithm, bitString(signWith(signer, tbs))))
  return { der, x509: new X509Certificate(der), key, name, keyId }
}

export interface TestCrlOptions {
  readonly issuer: TestCertificate
  /** Signs with this key instead of the issuer's (a forged CRL). */
  readonly signingKey?: TestKey
  readonly thisUpdate?: Date
  /** null: no nextUpdate. */
  readonly nextUpdate?: Date | null
  readonly revoked?: readonly { readonly certificate: TestCertificate; readonly date?: Date }[]
  readonly crlNumber?: number
  /** Extra CRL extensions. */
  readonly extensions?: readonly TestExtension[]
}

/** A v2 CRL with cRLNumber and authorityKeyIdentifier, DER. */
export function createTestCrl(options: TestCrlOptions): Uint8Array {
  const signer = options.signingKey ?? options.issuer.key
  const algorithm = algorithmIdentifier(signer.type)
  const thisUpdate = options.thisUpdate ?? new Date('2024-01-01T00:00:00Z')
  const nextUpdate = options.nextUpdate === undefined ? new Date('2030-01-01T00:00:00Z') : options.nextUpdate
  const revoked = (options.revoked ?? []).map((entry) =>
    sequence(unsignedInteger(serialOf(entry.certificate)), time(entry.date ?? thisUpdate)),
  )
  const extensions = sequence(
    sequence(objectIdentifier('2.5.29.35'), octetString(sequence(implicitPrimitive(0, options.issuer.keyId)))),
    sequence(objectIdentifier('2.5.29.20'), octetString(smallInteger(options.crlNumber ?? 1))),
    ...(options.extensions ?? []).map((extra) =>
      sequence(
        objectIdentifier(extra.oid),
        ...(extra.critical === true ? [boolean(true)] : []),
        octetString(extra.value),
      ),
    ),
  )
  const tbs = sequence(
    smallInteger(1),
    algorithm,
    options.issuer.name,
    time(thisUpdate),
    ...(nextUpdate === null ? [] : [time(nextUpdate)]),
    ...(revoked.length === 0 ? [] : [sequence(...revoked)]),
    explicit(0, extensions),
  )
  return new Uint8Array(sequence(tbs, algorithm, bitString(signWith(signer, tbs))))
}

/** The serial number's magnitude bytes. */
function serialOf(certificate: TestCertificate): Buffer {
  const hex = certificate.x509.serialNumber
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex')
}
