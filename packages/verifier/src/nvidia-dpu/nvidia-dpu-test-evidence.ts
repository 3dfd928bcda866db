import { createHash, sign } from 'node:crypto'
import { objectIdentifier, octetString, sequence, tlv, implicitPrimitive } from '@carapace/protocol/der'
import { createTestCertificate, testKey, type TestCertificate } from '../pkix/test-support/test-pki.ts'
import { TCG_DICE_TCB_INFO_OID } from './dice-certificate.ts'

/*
 * Test support: a synthetic NVIDIA-DPU-shaped DICE PKI (no real DPU evidence is public). A P-384
 * root CA signs a DeviceID certificate (CN "bluefield3", TcbInfo with FWIDs) that signs an Alias
 * certificate; the Alias key signs the report data.
 */

const SHA384_OID = '2.16.840.1.101.3.4.2.2'

/** Three firmware layers whose FWIDs are SHA-384 digests of fixed names. */
export const DEFAULT_FWIDS: readonly Uint8Array[] = ['boot-rom', 'atf', 'uefi'].map(
  (layer) => new Uint8Array(createHash('sha384').update(layer).digest()),
)

export interface SyntheticDpuOptions {
  readonly fwids?: readonly Uint8Array[]
  /** Encode `fwids [6]` with one extra SEQUENCE inside it, as upstream reads it (default: TCG's IMPLICIT form). */
  readonly wrappedFwids?: boolean
  /** Leave the TcbInfo extension out. */
  readonly noTcbInfo?: boolean
  readonly deviceIdNotBefore?: Date
  readonly deviceIdNotAfter?: Date
  readonly aliasNotBefore?: Date
  readonly aliasNotAfter?: Date
  /** Issue the DeviceID certificate from this root instead of a fresh one. */
  readonly root?: TestCertificate
  readonly deviceClass?: string
  readonly serial?: Uint8Array
}

export interface SyntheticDpu {
  readonly root: TestCertificate
  readonly deviceId: TestCertificate
  readonly alias: TestCertificate
  /** The root CA as the `root_ca_cert_path` file holds it. */
  readonly rootPem: string
  /**
   * Evidence JSON (object) whose signature covers `reportData` as upstream's attester signs it
   * (zero-padded or cut to 64 bytes, r‖s) — or, with `exact`, the bytes as given, DER-encoded.
   */
  evidence(reportData: Uint8Array, options?: { exact?: boolean }): DpuEvidenceJson
}

export interface DpuEvidenceJson {
  version: number
  devices: { architecture: string; alias_cert: string; device_id_cert: string; report_data_signature: string }[]
}

export function tcbInfo(fwids: readonly Uint8Array[], wrapped: boolean): Buffer {
  const list = fwids.map((digest) => sequence(objectIdentifier(SHA384_OID), octetString(digest)))
  const field = wrapped ? tlv(0xa6, sequence(...list)) : tlv(0xa6, Buffer.concat(list))
  return sequence(implicitPrimitive(0, Buffer.from('NVIDIA')), implicitPrimitive(1, Buffer.from('BlueField-3')), field)
}

export const DPU_ALIAS_NOT_BEFORE = new Date('2026-01-15T10:00:00Z')

export function syntheticDpu(options: SyntheticDpuOptions = {}): SyntheticDpu {
  const root =
    options.root ??
    createTestCertificate({ commonName: 'Synthetic NVIDIA DPU Root CA', ca: true, key: testKey('ec-p384') })
  const deviceId = createTestCertificate({
    commonName: options.deviceClass ?? 'bluefield3',
    issuer: root,
    ca: true,
    key: testKey('ec-p384'),
    serial: options.serial ?? Buffer.from('0a1b2c3d4e5f60718293', 'hex'),
    notBefore: options.deviceIdNotBefore ?? new Date('2025-01-01T00:00:00Z'),
    notAfter: options.deviceIdNotAfter ?? new Date('2045-01-01T00:00:00Z'),
    extensions:
      options.noTcbInfo === true
        ? []
        : [
            {
              oid: TCG_DICE_TCB_INFO_OID,
              value: tcbInfo(options.fwids ?? DEFAULT_FWIDS, options.wrappedFwids === true),
            },
          ],
  })
  const aliasNotBefore = options.aliasNotBefore ?? DPU_ALIAS_NOT_BEFORE
  const alias = createTestCertificate({
    commonName: 'bluefield3 Alias',
    issuer: deviceId,
    key: testKey('ec-p384'),
    notBefore: aliasNotBefore,
    notAfter: options.aliasNotAfter ?? new Date('9999-12-31T23:59:59Z'),
  })
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
  return {
    root,
    deviceId,
    alias,
    rootPem: root.x509.toString(),
    evidence(reportData, evidenceOptions = {}) {
      const exact = evidenceOptions.exact === true
      const padded = new Uint8Array(64)
      padded.set(reportData.subarray(0, 64))
      const signature = sign('sha384', exact ? reportData : padded, {
        key: alias.key.privateKey,
        dsaEncoding: exact ? 'der' : 'ieee-p1363',
      })
      return {
        version: 1,
        devices: [
          {
            architecture: 'bluefield3',
            alias_cert: b64(alias.der),
            device_id_cert: b64(deviceId.der),
            report_data_signature: b64(signature),
          },
        ],
      }
    },
  }
}
