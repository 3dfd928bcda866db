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
export function getCollateral(
  source: CollateralSource | undefined,
  request: CollateralRequest,
): Promise<CollateralItem | undefined> {
  if (source === undefined) return Promise.resolve(undefined)
  // Not an async function: with a warm cache this runs several times per verification, and the
  // extra promise and await of an async wrapper cost more than the lookup.
  let answer: Promise<CollateralItem | undefined>
  try {
    answer = source.get(request)
  } catch (cause) {
    return Promise.reject(unavailable(request, cause))
  }
  return answer.then(undefined, (cause: unknown) => {
    throw unavailable(request, cause)
  })
}

function unavailable(request: CollateralRequest, cause: unknown): VerificationError {
  if (cause instanceof VerificationError) return cause
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new VerificationError('COLLATERAL_UNAVAILABLE', `fetching ${collateralKey(request)} failed: ${detail}`, {
    cause,
  })
}
