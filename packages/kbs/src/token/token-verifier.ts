/** Verifies an attestation token (signature, expiry) and returns its claims, or throws. */
export interface TokenVerifier {
  verify(token: string): Promise<Record<string, unknown>>
}
