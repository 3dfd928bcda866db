import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseCrl } from '../pkix/crl.ts'
import { looksLikePem } from '../pkix/pem.ts'
import { CollateralError } from './collateral-error.ts'
import { nextUpdateOf } from './collateral-expiry.ts'
import { checkCollateralMatches } from './collateral-match.ts'
import type { CollateralItem, CollateralRequest, CollateralSource } from './collateral-source.ts'

/**
 * The flat `--collateral DIR` layout (docs/collateral.md): one platform's collateral, one object per
 * file, named by what it is. Each entry: the file(s) holding the body, in order of preference, and
 * the file holding the issuer chain the vendor sends beside it.
 */
const LAYOUT: Record<CollateralRequest['kind'], { readonly body: readonly string[]; readonly chain?: string }> = {
  'amd-vcek': { body: ['vcek.der'] },
  'amd-vlek': { body: ['vlek.der'] },
  'amd-cert-chain': { body: ['cert-chain.pem'] },
  'amd-crl': { body: ['crl.der'] },
  'intel-tcb-info': { body: ['tcb-info.json'], chain: 'tcb-info-issuer-chain.pem' },
  'intel-qe-identity': { body: ['qe-identity.json'], chain: 'qe-identity-issuer-chain.pem' },
  'intel-pck-crl': { body: ['pck-crl.der', 'pck-crl.pem'], chain: 'pck-crl-issuer-chain.pem' },
  'intel-root-ca-crl': { body: ['root-ca-crl.der', 'root-ca-crl.pem'] },
  'nvidia-root': { body: ['nvidia-root.pem'] },
  'hygon-hsk-cek': { body: ['hsk_cek.cert'] },
}

/** The files for a request: Hygon's per-chip `hsk_cek/<chip>/hsk_cek.cert` (its own layout) before the flat name. */
function bodyFiles(request: CollateralRequest): readonly string[] {
  const names = LAYOUT[request.kind].body
  return request.kind === 'hygon-hsk-cek' ? [join('hsk_cek', request.chipId, 'hsk_cek.cert'), ...names] : names
}

/** Every file name the flat layout knows (import and docs list them). */
export const DIRECTORY_LAYOUT_FILES: readonly string[] = [
  ...new Set(Object.values(LAYOUT).flatMap((e) => [...e.body, ...(e.chain === undefined ? [] : [e.chain])])),
]

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CollateralError('IO_ERROR', `cannot read ${path}`, { cause })
  }
}

/** PEM CRLs become DER, as PCS serves them with `encoding=der` and AMD KDS always does. */
function crlAsDer(bytes: Uint8Array, path: string): Uint8Array {
  if (!looksLikePem(bytes)) return bytes
  try {
    return parseCrl(bytes).der
  } catch (cause) {
    throw new CollateralError('MALFORMED', `${path} is not a PEM CRL`, { cause })
  }
}

/**
 * Reads the object for a request from a flat collateral folder; `undefined` when the folder does not
 * hold it (the verifier then uses the evidence, another source or the pinned roots). A file that is
 * there but belongs to another platform (TCB Info of another FMSPC, …) is `MISMATCH`, not silence.
 */
export async function readDirectoryItem(dir: string, request: CollateralRequest): Promise<CollateralItem | undefined> {
  const entry = LAYOUT[request.kind]
  for (const name of bodyFiles(request)) {
    const path = join(dir, name)
    let body = await readOptional(path)
    if (body === undefined) continue
    if (name.endsWith('crl.pem') || name === 'crl.der') body = crlAsDer(body, path)
    checkCollateralMatches(request, body)
    const nextUpdate = nextUpdateOf(request, body)
    const chain = entry.chain === undefined ? undefined : await readOptional(join(dir, entry.chain))
    return {
      body,
      ...(chain === undefined ? {} : { issuerChain: Buffer.from(chain).toString('utf8') }),
      ...(nextUpdate === undefined ? {} : { nextUpdate }),
    }
  }
  return undefined
}

/** `--collateral DIR`: a `CollateralSource` over the flat layout. */
export function createDirectoryCollateral(dir: string): CollateralSource {
  return { get: (request) => readDirectoryItem(dir, request) }
}
