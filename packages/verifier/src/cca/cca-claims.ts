import type { JsonObject } from '@carapace/protocol'
import type { CcaPlatformClaims } from './platform-claims.ts'
import type { CcaRealmClaims } from './realm-claims.ts'

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/**
 * Trustee's CCA claims: `realm` and `platform` with kebab-case keys and standard base64 values,
 * `report_data` (hex of the realm challenge) and `init_data` (hex of the personalization value).
 */
export function ccaClaims(platform: CcaPlatformClaims, realm: CcaRealmClaims): JsonObject {
  return {
    realm: {
      'cca-realm-personalization-value': b64(realm.personalizationValue),
      'cca-realm-initial-measurement': b64(realm.initialMeasurement),
      'cca-realm-extensible-measurements': realm.extensibleMeasurements.map(b64),
      'cca-realm-hash-algo-id': realm.hashAlgoId,
      'cca-realm-challenge': b64(realm.challenge),
    },
    platform: {
      'cca-platform-instance-id': b64(platform.instanceId),
      'cca-platform-implementation-id': b64(platform.implementationId),
    },
    report_data: hex(realm.challenge),
    init_data: hex(realm.personalizationValue),
  }
}
