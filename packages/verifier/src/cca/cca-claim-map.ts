import { VerificationError } from '../verifier.ts'
import { CborMap, decodeCbor, type CborValue } from './cbor.ts'

/** Typed access to the claims map of a platform or realm token, every miss EVIDENCE_MALFORMED. */
export class ClaimMap {
  readonly #map: CborMap
  readonly #what: string

  constructor(payload: Uint8Array, what: string) {
    const map = decodeCbor(payload)
    if (!(map instanceof CborMap)) throw new VerificationError('EVIDENCE_MALFORMED', `CCA ${what} claims are not a map`)
    this.#map = map
    this.#what = what
  }

  fail(message: string): never {
    throw new VerificationError('EVIDENCE_MALFORMED', `CCA ${this.#what} token: ${message}`)
  }

  value(key: number, name: string): CborValue {
    const value = this.#map.get(key)
    if (value === undefined) this.fail(`claim ${name} (${String(key)}) is missing`)
    return value
  }

  bytes(key: number, name: string, sizes?: readonly number[]): Uint8Array {
    const value = this.value(key, name)
    if (!(value instanceof Uint8Array)) this.fail(`claim ${name} is not a byte string`)
    if (sizes !== undefined && !sizes.includes(value.length)) {
      this.fail(`claim ${name} has ${String(value.length)} bytes, not ${sizes.join(' or ')}`)
    }
    return value
  }

  text(key: number, name: string): string {
    const value = this.value(key, name)
    if (typeof value !== 'string') this.fail(`claim ${name} is not a text string`)
    return value
  }
}
