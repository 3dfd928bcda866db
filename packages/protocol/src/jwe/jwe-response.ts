/**
 * The KBS resource response: RFC 7516 flattened JSON serialisation as Trustee emits it
 * (kbs-types `Response`). Every member is base64url without padding; Trustee never sets `aad`.
 */
export interface JweResponse {
  readonly protected: string
  readonly encrypted_key: string
  readonly iv: string
  readonly ciphertext: string
  readonly tag: string
}

export const CONTENT_ENCRYPTION = 'A256GCM'
export const ECDH_ES_A256KW = 'ECDH-ES+A256KW'
export const RSA_OAEP_256 = 'RSA-OAEP-256'
export const RSA1_5 = 'RSA1_5'
export const CEK_LENGTH = 32
export const IV_LENGTH = 12
export const TAG_LENGTH = 16
