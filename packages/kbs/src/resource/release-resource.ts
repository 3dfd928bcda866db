import { CocoError, encryptResponse, teePubKeyFromClaims, type JweResponse } from '@carapace/protocol'
import type { Storage } from '@carapace/storage'
import { KbsError } from '../http/errors.ts'
import { checkResourcePolicy } from '../policy/resource-policy.ts'
import type { TokenVerifier } from '../token/token-verifier.ts'
import { readResource, resourcePathOf } from './resource-store.ts'

export interface ReleaseResourceDeps {
  readonly storage: Storage
  readonly tokenVerifier: TokenVerifier
  /** `[attestation_token] extra_teekey_paths`, tried before the built-in claim paths. */
  readonly extraTeeKeyPaths?: readonly string[]
  readonly random?: (size: number) => Uint8Array
}

export interface ResourceRequest {
  readonly segments: readonly string[]
  readonly query: Readonly<Record<string, string>>
  /** The attested session's token, else the Bearer token, else undefined. */
  readonly token: string | undefined
}

/** GET /resource/<repo>/<type>/<tag> (§1.5): token → claims → policy → resource → JWE. */
export async function releaseResource(deps: ReleaseResourceDeps, request: ResourceRequest): Promise<JweResponse> {
  if (request.token === undefined) throw new KbsError('TOKEN_NOT_FOUND', 'Attestation Token not found')
  let claims: Record<string, unknown>
  try {
    claims = await deps.tokenVerifier.verify(request.token)
  } catch (cause) {
    const detail = cause instanceof CocoError ? cause.message : 'verification failed'
    throw new KbsError('TOKEN_VERIFIER', `Token Verifier error: ${detail}`, { cause })
  }
  await checkResourcePolicy(deps.storage, claims, {
    plugin: 'resource',
    resourcePath: request.segments,
    query: request.query,
  })
  const path = resourcePathOf(request.segments)
  const plaintext = await readResource(deps.storage, path)
  const teePubKey = teePubKeyFromClaims(claims, deps.extraTeeKeyPaths)
  if (teePubKey === undefined) throw new KbsError('JWE_ERROR', 'no tee-pubkey in the attestation token claims')
  try {
    return encryptResponse(plaintext, teePubKey, deps.random === undefined ? {} : { random: deps.random })
  } catch (cause) {
    const detail = cause instanceof CocoError ? cause.message : 'encryption failed'
    throw new KbsError('JWE_ERROR', detail, { cause })
  }
}
