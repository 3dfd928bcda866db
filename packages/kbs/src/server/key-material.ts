import { createPrivateKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createSelfSignedCertificate } from './self-signed-certificate.ts'
import { writeNewFile } from './new-file.ts'
import { KbsServerError } from './server-error.ts'

const PRIVATE_MODE = 0o600
const PUBLIC_MODE = 0o644
const DAY_MS = 86_400_000
/** The longest validity clients that check it (Apple platforms) accept for a TLS server certificate. */
export const TLS_CERTIFICATE_DAYS = 825
export const TOKEN_CERTIFICATE_DAYS = 3650

export interface KeyAndCertificate {
  readonly keyPem: string
  readonly certPem: string
  readonly certificate: X509Certificate
  /** True when this call created both files. */
  readonly generated: boolean
}

export interface AdminKeyPair {
  readonly privateKeyPath: string
  readonly publicKeyPath: string
  readonly generated: boolean
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new KbsServerError('KEY_MATERIAL', `cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
}

function privateKeyOf(pem: string, path: string): KeyObject {
  try {
    return createPrivateKey(pem)
  } catch (cause) {
    throw new KbsServerError('KEY_MATERIAL', `${path} is not a PEM private key`, { cause })
  }
}

function certificateOf(pem: string, path: string): X509Certificate {
  try {
    return new X509Certificate(pem)
  } catch (cause) {
    throw new KbsServerError('KEY_MATERIAL', `${path} is not a PEM certificate`, { cause })
  }
}

/** Both files present: read and check they belong together. Neither: undefined. One: an error. */
async function readPair(keyPath: string, certPath: string): Promise<KeyAndCertificate | undefined> {
  const [keyPem, certPem] = await Promise.all([readIfPresent(keyPath), readIfPresent(certPath)])
  if (keyPem === undefined && certPem === undefined) return undefined
  if (keyPem === undefined || certPem === undefined) {
    const missing = keyPem === undefined ? keyPath : certPath
    throw new KbsServerError(
      'KEY_MATERIAL',
      `${missing} is missing but its pair exists; restore it or remove both ${keyPath} and ${certPath} to generate new ones`,
    )
  }
  const certificate = certificateOf(certPem, certPath)
  if (!certificate.checkPrivateKey(privateKeyOf(keyPem, keyPath))) {
    throw new KbsServerError('KEY_MATERIAL', `${certPath} does not carry the public key of ${keyPath}`)
  }
  return { keyPem, certPem, certificate, generated: false }
}

async function ensureCertifiedKey(
  keyPath: string,
  certPath: string,
  make: (key: KeyObject) => string,
): Promise<KeyAndCertificate> {
  const existing = await readPair(keyPath, certPath)
  if (existing !== undefined) return existing
  // Keys are generated as PEM text: exporting a key object from generateKeyPairSync can deadlock
  // Node 20 when a garbage collection during the export finalizes the generation job.
  const keyPem = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey
  const certPem = make(createPrivateKey(keyPem))
  await writeNewFile(keyPath, keyPem, PRIVATE_MODE)
  await writeNewFile(certPath, certPem, PUBLIC_MODE)
  return { keyPem, certPem, certificate: new X509Certificate(certPem), generated: true }
}

export interface TlsCertificateOptions {
  readonly keyPath: string
  readonly certPath: string
  readonly now: Date
  readonly dnsNames?: readonly string[]
  readonly ipAddresses?: readonly string[]
}

/** The HTTPS key and self-signed certificate (localhost, 127.0.0.1, ::1 by default), created if absent. */
export function ensureTlsCertificate(options: TlsCertificateOptions): Promise<KeyAndCertificate> {
  return ensureCertifiedKey(
    options.keyPath,
    options.certPath,
    (privateKey) =>
      createSelfSignedCertificate({
        privateKey,
        commonName: 'carapace-kbs',
        organization: 'Carapace',
        dnsNames: options.dnsNames ?? ['localhost'],
        ipAddresses: options.ipAddresses ?? ['127.0.0.1', '::1'],
        notBefore: new Date(options.now.getTime() - 5 * 60_000),
        notAfter: new Date(options.now.getTime() + TLS_CERTIFICATE_DAYS * DAY_MS),
        serverAuth: true,
      }).pem,
  )
}

/** The ES256 attestation-token key and the self-signed certificate tokens carry in `x5c`. */
export function ensureTokenSigningKey(options: {
  readonly keyPath: string
  readonly certPath: string
  readonly now: Date
}): Promise<KeyAndCertificate> {
  return ensureCertifiedKey(
    options.keyPath,
    options.certPath,
    (privateKey) =>
      createSelfSignedCertificate({
        privateKey,
        commonName: 'carapace attestation token signer',
        organization: 'Carapace',
        notBefore: new Date(options.now.getTime() - 5 * 60_000),
        notAfter: new Date(options.now.getTime() + TOKEN_CERTIFICATE_DAYS * DAY_MS),
      }).pem,
  )
}

/** The Ed25519 admin key pair: the private key signs admin tokens, the KBS trusts the public one. */
export async function ensureAdminKeyPair(paths: {
  readonly privateKeyPath: string
  readonly publicKeyPath: string
}): Promise<AdminKeyPair> {
  const [privatePem, publicPem] = await Promise.all([
    readIfPresent(paths.privateKeyPath),
    readIfPresent(paths.publicKeyPath),
  ])
  if (publicPem !== undefined) return { ...paths, generated: false }
  if (privatePem !== undefined) {
    throw new KbsServerError(
      'KEY_MATERIAL',
      `${paths.publicKeyPath} is missing but ${paths.privateKeyPath} exists; restore it or remove both to generate a new admin key`,
    )
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  await writeNewFile(paths.privateKeyPath, privateKey, PRIVATE_MODE)
  await writeNewFile(paths.publicKeyPath, publicKey, PUBLIC_MODE)
  return { ...paths, generated: true }
}
