import { builtinError } from '../../args.ts'
import type { Value } from '../../../value/value.ts'
import { decodeStdBase64OrThrow } from './go-base64.ts'
import { goJsonToValue } from './go-value.ts'
import { decodePem, type PemBlock } from './pem.ts'
import { privateKeyGoJson, tryPrivateKey, type PrivateKey } from './private-keys.ts'
import { parseCertificate } from './x509-certificate.ts'
import { goX509 } from './x509-errors.ts'

const BEGIN = Buffer.from('-----BEGIN ')

function pemInput(text: string, type: string): Buffer {
  let bytes: Buffer = Buffer.from(text, 'utf8')
  if (!bytes.subarray(0, BEGIN.length).equals(BEGIN)) bytes = decodeStdBase64OrThrow(text)
  // Bare DER is wrapped as PEM, as OPA does before handing both to Go's tls.X509KeyPair.
  if (!bytes.subarray(0, BEGIN.length - 1).equals(BEGIN.subarray(0, BEGIN.length - 1))) {
    const b64 = bytes.toString('base64').match(/.{1,64}/g) ?? []
    bytes = Buffer.from(`-----BEGIN ${type}-----\n${b64.join('\n')}\n-----END ${type}-----\n`)
  }
  return bytes
}

function blocks(data: Buffer): PemBlock[] {
  const out: PemBlock[] = []
  let rest = data
  for (;;) {
    const { block, rest: next } = decodePem(rest)
    if (!block) return out
    out.push(block)
    rest = next
  }
}

/** Go's tls.parsePrivateKey: PKCS#1, then PKCS#8, then SEC 1. */
function tlsPrivateKey(der: Buffer): PrivateKey {
  const key = tryPrivateKey(der, 'pkcs1') ?? tryPrivateKey(der, 'pkcs8') ?? tryPrivateKey(der, 'sec1')
  if (!key) throw builtinError('tls: failed to parse private key')
  const type = key.key.asymmetricKeyType
  if (type !== 'rsa' && type !== 'ec' && type !== 'ed25519') {
    throw builtinError('tls: found unknown private key type in PKCS#8 wrapping')
  }
  return key
}

/** OPA's crypto.x509.parse_keypair: Go's tls.X509KeyPair, marshalled to JSON. */
export function parseKeyPair(certText: string, keyText: string): Value {
  const certBlocks = blocks(pemInput(certText, 'CERTIFICATE'))
  const keyData = pemInput(keyText, 'PRIVATE KEY')
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE').map((b) => b.bytes)
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type)
    if (skipped.length === 0) throw builtinError('tls: failed to find any PEM data in certificate input')
    if (skipped.length === 1 && (skipped[0] as string).endsWith('PRIVATE KEY')) {
      throw builtinError(
        'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
      )
    }
    throw builtinError(
      `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`,
    )
  }
  const skipped: string[] = []
  let keyBlock: PemBlock | undefined
  for (const b of blocks(keyData)) {
    if (b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')) {
      keyBlock = b
      break
    }
    skipped.push(b.type)
  }
  if (!keyBlock) {
    if (skipped.length === 0) throw builtinError('tls: failed to find any PEM data in key input')
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') {
      throw builtinError('tls: found a certificate rather than a key in the PEM for the private key')
    }
    throw builtinError(
      `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`,
    )
  }
  const leaf = goX509(() => parseCertificate(certs[0] as Buffer))
  const key = tlsPrivateKey(keyBlock.bytes)
  const certType = leaf.publicKey?.asymmetricKeyType
  if (certType === undefined || !['rsa', 'ec', 'ed25519'].includes(certType)) {
    throw builtinError('tls: unknown public key algorithm')
  }
  if (certType !== key.key.asymmetricKeyType) throw builtinError('tls: private key type does not match public key type')
  const pubJwk = leaf.publicKey?.export({ format: 'jwk' })
  const same = certType === 'rsa' ? pubJwk?.n === key.jwk.n : pubJwk?.x === key.jwk.x && pubJwk?.y === key.jwk.y
  if (!same) throw builtinError('tls: private key does not match public key')
  return goJsonToValue({
    Certificate: certs,
    PrivateKey: privateKeyGoJson(key),
    SupportedSignatureAlgorithms: null,
    OCSPStaple: null,
    SignedCertificateTimestamps: null,
    Leaf: leaf.json,
  })
}
