import { X509Certificate } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseCrl } from '../pkix/crl.ts'
import { pemCertificates } from '../pkix/pem.ts'
import { vekExtensions } from '../snp/vek-extensions.ts'
import { CollateralError } from './collateral-error.ts'
import { intelSignedObject } from './collateral-expiry.ts'
import type { CollateralRequest, SnpProduct } from './collateral-source.ts'

const PRODUCTS: readonly SnpProduct[] = ['Milan', 'Genoa', 'Turin']

async function read(dir: string, name: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(join(dir, name)))
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CollateralError('IO_ERROR', `cannot read ${join(dir, name)}`, { cause })
  }
}

async function firstFile(dir: string, names: readonly string[]): Promise<Uint8Array | undefined> {
  for (const name of names) {
    const bytes = await read(dir, name)
    if (bytes !== undefined) return bytes
  }
  return undefined
}

function productIn(text: string, what: string): SnpProduct {
  const product = PRODUCTS.find((p) => text.includes(`-${p}`))
  if (product === undefined)
    throw new CollateralError('MALFORMED', `${what}: no AMD product (Milan, Genoa, Turin) in ${text}`)
  return product
}

function guard<T>(what: string, f: () => T): T {
  try {
    return f()
  } catch (cause) {
    if (cause instanceof CollateralError) throw cause
    throw new CollateralError('MALFORMED', `${what} cannot be read`, { cause })
  }
}

/**
 * Chips with an HSK/CEK pair in Hygon's layout (`hsk_cek/<chip>/hsk_cek.cert`). A flat `hsk_cek.cert`
 * names no chip, so it answers verifications but cannot be imported under a chip's key.
 */
async function hygonChips(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(join(dir, 'hsk_cek'))
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return []
    throw new CollateralError('IO_ERROR', `cannot list ${join(dir, 'hsk_cek')}`, { cause })
  }
  const chips = []
  for (const name of names.sort()) {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(name) && (await read(join(dir, 'hsk_cek', name), 'hsk_cek.cert')) !== undefined)
      chips.push(name)
  }
  return chips
}

/**
 * The requests a flat `--collateral DIR` folder answers, read from the objects themselves (FMSPC and
 * TEE from TCB Info, CA from the PCK CRL issuer, product from the AMD names, chip and TCB from the
 * VCEK extensions) — what `collateral import` needs to file them under their cache keys.
 */
export async function directoryRequests(dir: string): Promise<CollateralRequest[]> {
  const out: CollateralRequest[] = []
  const tcbInfo = await read(dir, 'tcb-info.json')
  if (tcbInfo !== undefined) {
    const info = intelSignedObject(tcbInfo, 'tcbInfo', 'tcb-info.json')
    const fmspc = info['fmspc']
    if (typeof fmspc !== 'string') throw new CollateralError('MALFORMED', 'tcb-info.json has no fmspc')
    out.push({ kind: 'intel-tcb-info', tee: info['id'] === 'TDX' ? 'tdx' : 'sgx', fmspc: fmspc.toLowerCase() })
  }
  const qe = await read(dir, 'qe-identity.json')
  if (qe !== undefined) {
    const id = intelSignedObject(qe, 'enclaveIdentity', 'qe-identity.json')['id']
    out.push({ kind: 'intel-qe-identity', tee: id === 'TD_QE' ? 'tdx' : 'sgx' })
  }
  const pckCrl = await firstFile(dir, ['pck-crl.der', 'pck-crl.pem'])
  if (pckCrl !== undefined) {
    const issuer = guard('pck-crl', () => Buffer.from(parseCrl(pckCrl).issuer).toString('latin1'))
    out.push({ kind: 'intel-pck-crl', ca: issuer.includes('Processor') ? 'processor' : 'platform' })
  }
  if ((await firstFile(dir, ['root-ca-crl.der', 'root-ca-crl.pem'])) !== undefined)
    out.push({ kind: 'intel-root-ca-crl' })
  if ((await read(dir, 'nvidia-root.pem')) !== undefined) out.push({ kind: 'nvidia-root' })
  const chain = await read(dir, 'cert-chain.pem')
  if (chain !== undefined) {
    const names = guard('cert-chain.pem', () =>
      pemCertificates(Buffer.from(chain).toString('utf8')).map((der) => new X509Certificate(der).subject),
    )
    const signer = names.some((n) => n.includes('CN=SEV-VLEK-')) ? 'vlek' : 'vcek'
    out.push({ kind: 'amd-cert-chain', product: productIn(names.join(' '), 'cert-chain.pem'), signer })
  }
  const crl = await read(dir, 'crl.der')
  if (crl !== undefined) {
    const issuer = guard('crl.der', () => Buffer.from(parseCrl(crl).issuer).toString('latin1'))
    const product = productIn(issuer, 'crl.der')
    // KDS serves the same ARK-issued CRL under both signers.
    out.push({ kind: 'amd-crl', product, signer: 'vcek' }, { kind: 'amd-crl', product, signer: 'vlek' })
  }
  const vcek = await read(dir, 'vcek.der')
  if (vcek !== undefined) {
    const { product, ext } = guard('vcek.der', () => ({
      product: productIn(new X509Certificate(vcek).issuer, 'vcek.der'),
      ext: vekExtensions(vcek),
    }))
    const { bootloader, tee, snp, microcode, fmc } = ext.tcb
    if (
      ext.hwid === undefined ||
      bootloader === undefined ||
      tee === undefined ||
      snp === undefined ||
      microcode === undefined
    ) {
      throw new CollateralError('MALFORMED', 'vcek.der lacks the hwID or TCB extensions')
    }
    const tcb = { bootloader, tee, snp, microcode, ...(fmc === undefined ? {} : { fmc }) }
    out.push({ kind: 'amd-vcek', product, hwid: ext.hwid, tcb })
  }
  for (const chipId of await hygonChips(dir)) out.push({ kind: 'hygon-hsk-cek', chipId })
  const vlek = await read(dir, 'vlek.der')
  if (vlek !== undefined) {
    const product = guard('vlek.der', () => productIn(new X509Certificate(vlek).issuer, 'vlek.der'))
    out.push({ kind: 'amd-vlek', product })
  }
  return out
}
