import { readFileSync } from 'node:fs'
import { X509Certificate } from 'node:crypto'
import type { CollateralSource } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'
import { getCollateral } from '../collateral/get-collateral.ts'

/** The shipped NVIDIA Device Identity CA (packages/verifier/roots/nvidia-device-root.pem). */
const PINNED_ROOT_URL = new URL('../../roots/nvidia-device-root.pem', import.meta.url)

let pinned: X509Certificate | undefined

export function pinnedNvidiaRoot(): X509Certificate {
  pinned ??= new X509Certificate(readFileSync(PINNED_ROOT_URL))
  return pinned
}

/** The root from the collateral (`nvidia-root.pem`) when it has one, else the pinned root. */
export async function nvidiaRoot(collateral: CollateralSource | undefined): Promise<X509Certificate> {
  const item = await getCollateral(collateral, { kind: 'nvidia-root' })
  if (item === undefined) return pinnedNvidiaRoot()
  try {
    return new X509Certificate(item.body)
  } catch (cause) {
    throw new VerificationError('COLLATERAL_INVALID', 'the NVIDIA root in the collateral does not parse', { cause })
  }
}
