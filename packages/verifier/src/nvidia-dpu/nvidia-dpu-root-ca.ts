import { X509Certificate, type KeyObject } from 'node:crypto'
import { pemBlocks } from '../pkix/pem.ts'
import { VerificationError } from '../verifier.ts'

/**
 * The trust anchor of `nvidia_dpu_verifier.root_ca_cert_path`: the first certificate of a PEM file
 * (or DER), of which only the ECDSA P-384 public key is used (as upstream: no name or validity
 * checks on the root itself). Anything else is `CERT_CHAIN_INVALID` naming what is wrong.
 */
export function nvidiaDpuRootKey(file: Uint8Array | string): KeyObject {
  const text = typeof file === 'string' ? file : Buffer.from(file).toString('latin1')
  let der: Uint8Array
  if (text.includes('-----BEGIN')) {
    const block = pemBlocks(text, 'CERT_CHAIN_INVALID').find((b) => b.label === 'CERTIFICATE')
    if (block === undefined)
      throw new VerificationError('CERT_CHAIN_INVALID', 'nvidia-dpu root CA: no CERTIFICATE block')
    der = block.der
  } else {
    der = typeof file === 'string' ? Buffer.from(file, 'latin1') : file
  }
  let key: KeyObject
  try {
    key = new X509Certificate(der).publicKey
  } catch (cause) {
    throw new VerificationError('CERT_CHAIN_INVALID', 'nvidia-dpu root CA: not an X.509 certificate', { cause })
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
    throw new VerificationError('CERT_CHAIN_INVALID', 'nvidia-dpu root CA: the key is not an ECDSA P-384 key')
  }
  return key
}
