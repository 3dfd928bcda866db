import { VerificationError } from '../verifier.ts'
import {
  collateralKey,
  type CollateralItem,
  type CollateralRequest,
  type CollateralSource,
} from './collateral-source.ts'

/**
 * A verifier's only way to ask for collateral: `undefined` when there is no source or it lacks
 * the object; a source that fails (network, rate limit, malformed answer) becomes
 * COLLATERAL_UNAVAILABLE naming the object, so every denial carries a verification code.
 */
export async function getCollateral(
  source: CollateralSource | undefined,
  request: CollateralRequest,
): Promise<CollateralItem | undefined> {
  if (source === undefined) return undefined
  try {
    return await source.get(request)
  } catch (cause) {
    if (cause instanceof VerificationError) throw cause
    const detail = cause instanceof Error ? cause.message : String(cause)
    throw new VerificationError('COLLATERAL_UNAVAILABLE', `fetching ${collateralKey(request)} failed: ${detail}`, {
      cause,
    })
  }
}
