import { createPrivateKey, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'

/*
 * Test evidence for the NVIDIA verifier: the real H100 report and chains from the fixtures, and a
 * synthetic chain (test root → test leaf carrying the real FWID extension) whose leaf key re-signs
 * the real report, to reach the checks a real chain cannot (another root, a forged FWID).
 */

const FIXTURES = new URL('../../fixtures/nvidia/', import.meta.url)

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
}

/** The real report (request ‖ response) as bytes. */
export function hopperReport(): Uint8Array {
  return new Uint8Array(Buffer.from(fixtureText('hopperAttestationReport.txt').trim(), 'hex'))
}

/** The nonce the real report was requested with. */
export const HOPPER_NONCE = new Uint8Array(
  Buffer.from('931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb', 'hex'),
)

export const UUID = '1111-2222-33333-444444-555555'

export interface DeviceOptions {
  readonly report?: Uint8Array
  readonly chainPem?: string
  readonly arch?: string
  readonly uuid?: string
  readonly encoding?: 'hex' | 'base64'
}

export function deviceEvidence(options: DeviceOptions = {}): Record<string, string> {
  const report = Buffer.from(options.report ?? hopperReport())
  return {
    arch: options.arch ?? 'HOPPER',
    ...(options.uuid === undefined ? {} : { uuid: options.uuid }),
    evidence: options.encoding === 'base64' ? report.toString('base64') : report.toString('hex'),
    certificate: Buffer.from(options.chainPem ?? fixtureText('hopper_cert_chain_case1.txt')).toString('base64'),
  }
}

export function nvidiaEvidence(...devices: Record<string, string>[]): {
  device_evidence_list: Record<string, string>[]
} {
  return { device_evidence_list: devices }
}

/** The real report with its bytes changed by `edit` and re-signed with the synthetic leaf key. */
export function resignedReport(edit: (report: Uint8Array) => void = () => undefined): Uint8Array {
  const report = hopperReport()
  edit(report)
  const signedLength = report.length - 96
  const key = createPrivateKey(fixtureText('synthetic/leaf-key.pem'))
  const signature = sign('sha384', report.subarray(0, signedLength), { key, dsaEncoding: 'ieee-p1363' })
  report.set(signature, signedLength)
  return report
}

export const syntheticChainPem = (): string => fixtureText('synthetic/chain.pem')
export const syntheticRootPem = (): string => fixtureText('synthetic/root.pem')

/** Where the fwid opaque item's data starts in the real report. */
export function fwidOffset(report: Uint8Array): number {
  const fwid = Buffer.from('f5c384aebb579217a2c66b17ed0f28e6', 'hex')
  return Buffer.from(report).indexOf(fwid)
}
