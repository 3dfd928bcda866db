import { createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isJsonObject } from '@carapace/protocol'
import { VerificationError } from '../verifier.ts'

/*
 * CCA platform trust anchors in upstream's local `ta-store` JSON: `[{"pkey": <CPAK JWK>,
 * "implementation-id": hex, "instance-id": hex}]`. The platform token is verified with the CPAK of
 * the entry whose instance-id (and implementation-id) it carries.
 */

export interface CcaTrustAnchor {
  readonly cpak: KeyObject
  readonly implementationId: string
  readonly instanceId: string
}

const HEX = /^(?:[0-9a-f]{2})+$/u

function invalid(message: string, cause?: unknown): VerificationError {
  return new VerificationError('COLLATERAL_INVALID', `CCA trust-anchor store: ${message}`, { cause })
}

/** Parses a ta-store document (JSON text or parsed). */
export function parseTrustAnchorStore(document: unknown): CcaTrustAnchor[] {
  let parsed = document
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document)
    } catch (cause) {
      throw invalid('not JSON', cause)
    }
  }
  if (!Array.isArray(parsed)) throw invalid('expected an array of trust anchors')
  return parsed.map((entry: unknown, i) => {
    if (!isJsonObject(entry)) throw invalid(`entry ${String(i)} is not an object`)
    const implementationId = entry['implementation-id']
    const instanceId = entry['instance-id']
    if (typeof implementationId !== 'string' || !HEX.test(implementationId.toLowerCase())) {
      throw invalid(`entry ${String(i)}: implementation-id is not hex`)
    }
    if (typeof instanceId !== 'string' || !HEX.test(instanceId.toLowerCase())) {
      throw invalid(`entry ${String(i)}: instance-id is not hex`)
    }
    const pkey = entry.pkey
    if (!isJsonObject(pkey) || pkey.kty !== 'EC' || 'd' in pkey)
      throw invalid(`entry ${String(i)}: pkey is not a public EC JWK`)
    let cpak: KeyObject
    try {
      cpak = createPublicKey({ key: pkey, format: 'jwk' })
    } catch (cause) {
      throw invalid(`entry ${String(i)}: pkey does not import`, cause)
    }
    return { cpak, implementationId: implementationId.toLowerCase(), instanceId: instanceId.toLowerCase() }
  })
}

/** The anchor for a platform; CERT_UNTRUSTED_ROOT when the store does not know it. */
export function findTrustAnchor(
  anchors: readonly CcaTrustAnchor[],
  instanceId: Uint8Array,
  implementationId: Uint8Array,
): CcaTrustAnchor {
  const inst = Buffer.from(instanceId).toString('hex')
  const impl = Buffer.from(implementationId).toString('hex')
  const anchor = anchors.find((a) => a.instanceId === inst && a.implementationId === impl)
  if (anchor === undefined) {
    throw new VerificationError(
      'CERT_UNTRUSTED_ROOT',
      `CCA platform ${inst} (implementation ${impl}) is not in the trust-anchor store`,
    )
  }
  return anchor
}

/** Upstream's local config `{"cca-verifier":{"type":"local","ta-store":PATH,"rv-store":PATH}}`: the anchors of its ta-store. */
export async function loadTrustAnchorsFromConfig(configPath: string): Promise<CcaTrustAnchor[]> {
  let config: unknown
  try {
    config = JSON.parse(await readFile(configPath, 'utf8'))
  } catch (cause) {
    throw new VerificationError('COLLATERAL_UNAVAILABLE', `CCA verifier config ${configPath} is not readable JSON`, {
      cause,
    })
  }
  const verifier = isJsonObject(config) ? config['cca-verifier'] : undefined
  if (!isJsonObject(verifier) || verifier.type !== 'local' || typeof verifier['ta-store'] !== 'string') {
    throw new VerificationError(
      'COLLATERAL_UNAVAILABLE',
      `CCA verifier config ${configPath}: only "local" with a "ta-store" is supported`,
    )
  }
  let store: string
  try {
    store = await readFile(verifier['ta-store'], 'utf8')
  } catch (cause) {
    throw new VerificationError('COLLATERAL_UNAVAILABLE', `CCA ta-store ${verifier['ta-store']} is not readable`, {
      cause,
    })
  }
  return parseTrustAnchorStore(store)
}
