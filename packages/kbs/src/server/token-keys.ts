import { X509Certificate, createPublicKey } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { EarPublicJwk, EarSignerOptions } from '@carapace/attestation-service'
import type { AttestationTokenConfig, TokenSignerConfig } from '../config/index.ts'
import { KbsError } from '../http/errors.ts'
import { createEarVerifier } from '../token/ear-verifier.ts'
import type { TokenVerifier } from '../token/token-verifier.ts'
import { verifyEs256Jwt } from '../token/verify-es256-jwt.ts'
import { ensureTokenSigningKey } from './key-material.ts'
import { KbsServerError } from './server-error.ts'
import { tokenHeader } from '../token/token-header.ts'

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

async function readConfigured(path: string, key: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    throw new KbsServerError('KEY_MATERIAL', `${key}: cannot read ${path}: ${(cause as Error).message}`, { cause })
  }
}

/** `attestation_token_broker.signer`: the key (generated when the defaults ask for it) and its x5c chain. */
export async function tokenSignerOptions(
  signer: TokenSignerConfig | undefined,
  now: Date,
): Promise<EarSignerOptions | undefined> {
  if (signer === undefined) return undefined
  const key = 'attestation_service.attestation_token_broker.signer'
  if (signer.generateIfMissing === true && signer.certPath !== undefined) {
    await ensureTokenSigningKey({ keyPath: signer.keyPath, certPath: signer.certPath, now })
  }
  const keyPem = await readConfigured(signer.keyPath, `${key}.key_path`)
  const chainPem = signer.certPath === undefined ? undefined : await readConfigured(signer.certPath, `${key}.cert_path`)
  let certChainDer: Uint8Array[] | undefined
  if (chainPem !== undefined) {
    try {
      certChainDer = (chainPem.match(PEM_CERT) ?? []).map((pem) => new X509Certificate(pem).raw)
    } catch (cause) {
      throw new KbsServerError(
        'KEY_MATERIAL',
        `${key}.cert_path: ${String(signer.certPath)} holds an invalid certificate`,
        {
          cause,
        },
      )
    }
    if (certChainDer.length === 0) {
      throw new KbsServerError('KEY_MATERIAL', `${key}.cert_path: ${String(signer.certPath)} holds no PEM certificate`)
    }
  }
  return {
    keyPem,
    ...(certChainDer === undefined ? {} : { certChainDer }),
    ...(signer.certUrl === undefined ? {} : { certUrl: signer.certUrl }),
  }
}

/**
 * `[attestation_token]` as upstream verifies tokens, plus the built-in attestation service's own
 * key: a token whose header carries exactly that key is checked against it directly (it was made
 * in this process), so an ephemeral token key works without any trusted certificate.
 */
export async function createTokenVerifier(
  config: AttestationTokenConfig,
  ownKey: EarPublicJwk,
  now: () => Date,
): Promise<TokenVerifier> {
  const trustedCertsPem = await Promise.all(
    config.trustedCertsPaths.map((path) => readConfigured(path, 'attestation_token.trusted_certs_paths')),
  )
  const configured =
    trustedCertsPem.length > 0 || config.insecureHeaderJwk
      ? createEarVerifier({ trustedCertsPem, insecureHeaderJwk: config.insecureHeaderJwk, now })
      : undefined
  const own = createPublicKey({ key: { kty: ownKey.kty, crv: ownKey.crv, x: ownKey.x, y: ownKey.y }, format: 'jwk' })
  return {
    async verify(token) {
      const header = tokenHeader(token)
      const jwk = header.jwk
      if (jwk?.kty === 'EC' && jwk.crv === 'P-256' && jwk.x === ownKey.x && jwk.y === ownKey.y) {
        return verifyEs256Jwt(token, own, { leewaySeconds: 60, now: now() })
      }
      if (configured === undefined) {
        throw new KbsError(
          'TOKEN_VERIFIER',
          'the token was not signed by this KBS and no trusted certificates are configured',
        )
      }
      return configured.verify(token)
    },
  }
}
