import { createPrivateKey, sign, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isJsonObject, type JsonObject } from '@carapace/protocol'
import type { CollateralRequest, CollateralSource } from '../collateral/collateral-source.ts'
import { SNP_SIGNED_LENGTH, SnpOffset } from './snp-report.ts'

/** Test helpers: the SNP fixtures (packages/verifier/fixtures/snp, see its README). */

export function snpFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/snp/${name}`, import.meta.url)))
}

export interface GoldenReport {
  readonly report: string
  readonly vcek: string
  readonly at: string
  readonly claims: JsonObject
}

export function goldenReports(): Record<string, GoldenReport> {
  const parsed: unknown = JSON.parse(Buffer.from(snpFixture('expected-claims.json')).toString('utf8'))
  if (!isJsonObject(parsed)) throw new Error('expected-claims.json is not an object')
  const out: Record<string, GoldenReport> = {}
  for (const [name, value] of Object.entries(parsed)) {
    if (!isJsonObject(value) || !isJsonObject(value['claims'])) throw new Error(`bad golden ${name}`)
    const { report, vcek, at } = value
    if (typeof report !== 'string' || typeof vcek !== 'string' || typeof at !== 'string') {
      throw new Error(`bad golden ${name}`)
    }
    out[name] = { report, vcek, at, claims: value['claims'] }
  }
  return out
}

/** Re-signs report bytes with the self-made VCEK key (fixtures/snp/selfmade-*). */
export function resignWithSelfMadeKey(report: Uint8Array): Uint8Array {
  return resignReport(report, createPrivateKey(Buffer.from(snpFixture('selfmade-vcek-key.pem'))))
}

/** Report bytes signed with a P-384 key (little-endian r and s, as the firmware writes them). */
export function resignReport(report: Uint8Array, key: KeyObject): Uint8Array {
  const p1363 = sign('sha384', report.subarray(0, SNP_SIGNED_LENGTH), { key, dsaEncoding: 'ieee-p1363' })
  const out = new Uint8Array(report)
  out.fill(0, SnpOffset.signatureR, SnpOffset.signatureR + 144)
  out.set(Buffer.from(p1363.subarray(0, 48)).reverse(), SnpOffset.signatureR)
  out.set(Buffer.from(p1363.subarray(48)).reverse(), SnpOffset.signatureS)
  return out
}

/** A collateral source answering some request kinds with fixed bodies, recording what was asked. */
export function fakeCollateral(
  answers: Partial<Record<CollateralRequest['kind'], Uint8Array>>,
): CollateralSource & { requests: CollateralRequest[] } {
  const requests: CollateralRequest[] = []
  return {
    requests,
    get(request) {
      requests.push(request)
      const body = answers[request.kind]
      return Promise.resolve(body === undefined ? undefined : { body })
    },
  }
}
