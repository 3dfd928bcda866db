import { isJsonObject, type JsonObject } from '@carapace/protocol'
import { CollateralError } from './collateral-error.ts'
import type { CollateralRequest, SnpProduct, SnpTcb } from './collateral-source.ts'

/** A request as JSON (bundle index, cache entries): the same fields, `hwid` as lowercase hex. */
export function requestToJson(request: CollateralRequest): JsonObject {
  if (request.kind !== 'amd-vcek') return { ...request }
  const tcb: JsonObject = { ...request.tcb }
  return { kind: request.kind, product: request.product, hwid: Buffer.from(request.hwid).toString('hex'), tcb }
}

const PRODUCTS: readonly SnpProduct[] = ['Milan', 'Genoa', 'Turin']

function bad(message: string): never {
  throw new CollateralError('MALFORMED', `collateral request: ${message}`)
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const found = allowed.find((a) => a === value)
  if (found === undefined) bad(`${field} must be one of ${allowed.join(', ')}`)
  return found
}

function spl(tcb: JsonObject, field: keyof SnpTcb): number {
  const value = tcb[field]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) bad(`tcb.${field}: 0..255`)
  return value
}

/** Validates a request read from a file; every field that ends up in a path or URL is checked. */
export function requestFromJson(value: unknown): CollateralRequest {
  if (!isJsonObject(value)) bad('not an object')
  const kind = value['kind']
  switch (kind) {
    case 'amd-vcek': {
      const product = oneOf(value['product'], PRODUCTS, 'product')
      const hwid = value['hwid']
      if (typeof hwid !== 'string' || !/^(?:[0-9a-f]{16}|[0-9a-f]{128})$/.test(hwid)) bad('hwid: 8 or 64 bytes hex')
      const tcb = value['tcb']
      if (!isJsonObject(tcb)) bad('tcb: an object')
      const fmc = tcb['fmc'] === undefined ? {} : { fmc: spl(tcb, 'fmc') }
      return {
        kind,
        product,
        hwid: new Uint8Array(Buffer.from(hwid, 'hex')),
        tcb: {
          bootloader: spl(tcb, 'bootloader'),
          tee: spl(tcb, 'tee'),
          snp: spl(tcb, 'snp'),
          microcode: spl(tcb, 'microcode'),
          ...fmc,
        },
      }
    }
    case 'amd-vlek':
      return { kind, product: oneOf(value['product'], PRODUCTS, 'product') }
    case 'amd-cert-chain':
    case 'amd-crl':
      return {
        kind,
        product: oneOf(value['product'], PRODUCTS, 'product'),
        signer: oneOf(value['signer'], ['vcek', 'vlek'], 'signer'),
      }
    case 'intel-tcb-info': {
      const fmspc = value['fmspc']
      if (typeof fmspc !== 'string' || !/^[0-9a-fA-F]{12}$/.test(fmspc)) bad('fmspc: 6 bytes hex')
      return { kind, tee: oneOf(value['tee'], ['sgx', 'tdx'], 'tee'), fmspc: fmspc.toLowerCase() }
    }
    case 'intel-qe-identity':
      return { kind, tee: oneOf(value['tee'], ['sgx', 'tdx'], 'tee') }
    case 'intel-pck-crl':
      return { kind, ca: oneOf(value['ca'], ['platform', 'processor'], 'ca') }
    case 'intel-root-ca-crl':
    case 'nvidia-root':
      return { kind }
    case 'hygon-hsk-cek': {
      const chipId = value['chipId']
      if (typeof chipId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(chipId)) bad('chipId: 1-64 of A-Z a-z 0-9 _ -')
      return { kind, chipId }
    }
    default:
      return bad(`unknown kind ${JSON.stringify(kind)}`)
  }
}
