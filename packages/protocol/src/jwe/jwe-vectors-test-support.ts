// Test support: the derived KBS JWE vectors (fixtures/derived/kbs-jwe-and-runtime-data.json).
import { readFileSync } from 'node:fs'
import type { JweResponse } from './jwe-response.ts'

export interface JweVector {
  readonly name: string
  readonly privateKeyPem: string
  readonly teePubKey: Record<string, string>
  readonly response: JweResponse
  readonly decodedProtectedHeader: string
  readonly zHex?: string
  readonly kekHex?: string
  readonly cekHex?: string
  readonly plaintext: string
}

interface RawVector {
  tee_private_key_pkcs8_pem?: string
  tee_private_key_pkcs1_pem?: string
  tee_pubkey_jwk: Record<string, string>
  kbs_response: JweResponse
  decoded_protected_header_json: string
  intermediate?: { ecdh_z_hex: string; kek_hex: string; cek_hex: string }
  expected_plaintext_utf8: string
}

const FIXTURE = new URL('../../fixtures/derived/kbs-jwe-and-runtime-data.json', import.meta.url)
export const VECTOR_NAMES = ['jwe_ecdh_es_a256kw_p256', 'jwe_ecdh_es_a256kw_p521', 'jwe_rsa_oaep_256'] as const

export function loadJweVectors(): JweVector[] {
  const all = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, RawVector>
  return VECTOR_NAMES.map((name) => {
    const raw = all[name]
    const pem = raw?.tee_private_key_pkcs8_pem ?? raw?.tee_private_key_pkcs1_pem
    if (raw === undefined || pem === undefined) throw new TypeError(`fixture member ${name} is incomplete`)
    return {
      name,
      privateKeyPem: pem,
      teePubKey: raw.tee_pubkey_jwk,
      response: raw.kbs_response,
      decodedProtectedHeader: raw.decoded_protected_header_json,
      zHex: raw.intermediate?.ecdh_z_hex,
      kekHex: raw.intermediate?.kek_hex,
      cekHex: raw.intermediate?.cek_hex,
      plaintext: raw.expected_plaintext_utf8,
    }
  })
}
