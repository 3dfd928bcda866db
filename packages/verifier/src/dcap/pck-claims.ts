import { createHash, type X509Certificate } from 'node:crypto'
import type { JsonObject } from '@carapace/protocol'
import { validityOf } from './cert-validity.ts'
import type { VerifiedPckChain } from './pck-chain.ts'

const SGX_TYPE_CLAIMS = { Standard: 'Standard', Scalable: 'Scalable', ScalableWithIntegrity: 'Scalable with Integrity' }

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** Root key ids per trusted root object: exporting the key costs more than a signature check. */
const rootKeyIds = new WeakMap<X509Certificate, string>()

/** Root key id as Intel's QVL reports it: SHA-384 of the root's uncompressed public point. */
export function rootKeyId(chain: VerifiedPckChain): string {
  const known = rootKeyIds.get(chain.root)
  if (known !== undefined) return known
  const spki = chain.root.publicKey.export({ format: 'der', type: 'spki' })
  const id = createHash('sha384')
    .update(spki.subarray(spki.length - 65))
    .digest('hex')
  rootKeyIds.set(chain.root, id)
  return id
}

/**
 * The DCAP claims that come from the PCK chain and its CRLs (upstream's names and encodings:
 * `platform_provider_id` = PPID hex, `sgx_type` words, flags only on scalable platforms).
 * `platform_instance_id` is claimed with its bytes reversed, as upstream's parser does.
 */
export function pckClaims(chain: VerifiedPckChain): JsonObject {
  const ext = chain.extensions
  const claims: JsonObject = {
    pck_crl_num: Number(chain.pckCrl.crlNumber ?? 0n),
    root_ca_crl_num: Number(chain.rootCrl.crlNumber ?? 0n),
    platform_provider_id: hex(ext.ppid),
    sgx_type: SGX_TYPE_CLAIMS[ext.sgxType],
    root_key_id: rootKeyId(chain),
  }
  if (ext.sgxType !== 'Standard') {
    claims['is_dynamic_platform'] = ext.configuration?.dynamicPlatform === true
    claims['is_cached_keys'] = ext.configuration?.cachedKeys === true
    claims['is_smt_enabled'] = ext.configuration?.smtEnabled === true
  }
  if (ext.platformInstanceId !== undefined) {
    claims['platform_instance_id'] = hex(Uint8Array.from(ext.platformInstanceId).reverse())
  }
  return claims
}

/** Issue and expiry times (epoch ms) of the chain and CRLs, for the collateral date claims. */
export function pckCollateralDates(chain: VerifiedPckChain): { issued: number[]; expires: number[] } {
  const [leaf, ca, root] = [validityOf(chain.leaf), validityOf(chain.intermediate), validityOf(chain.root)]
  const issued = [leaf.from, ca.from, root.from, chain.pckCrl.thisUpdate.getTime(), chain.rootCrl.thisUpdate.getTime()]
  const expires = [leaf.to, ca.to, root.to]
  for (const crl of [chain.pckCrl, chain.rootCrl])
    if (crl.nextUpdate !== undefined) expires.push(crl.nextUpdate.getTime())
  return { issued, expires }
}
