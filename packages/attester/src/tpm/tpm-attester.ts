import { createPublicKey, type KeyObject } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Attester } from '../attester.ts'
import { AttesterError } from '../attester-error.ts'
import { createTpm2Runner, type Tpm2Runner } from './tpm2-tools.ts'

/** guest-components' default persistent handle of the attestation key. */
export const DEFAULT_AK_HANDLE = 0x81010002
/** The PCR the init-data digest is extended into. */
export const INIT_DATA_PCR = 8
/** The quote's qualifying data is the report data zero-padded or truncated to this size. */
export const TPM_REPORT_DATA_SIZE = 32

const PCR_COUNT = 24
const PCR_SELECTION = `sha256:${Array.from({ length: PCR_COUNT }, (_, i) => String(i)).join(',')}`
/** The attestation key types: RSA-2048 signing RSASSA-SHA256, or NIST P-256 signing ECDSA-SHA256. */
export const TPM_AK_ALGORITHMS = ['rsa', 'ecc'] as const
export type TpmAkAlgorithm = (typeof TPM_AK_ALGORITHMS)[number]

interface AkKind {
  /** tpm2-tools' `-G` for the restricted signing key created in the owner hierarchy. */
  readonly template: string
  readonly description: string
  /** Whether an existing key at the handle is of this kind. */
  matches(key: KeyObject): boolean
}

const AK_KINDS: Readonly<Record<TpmAkAlgorithm, AkKind>> = {
  rsa: {
    template: 'rsa2048:rsassa-sha256:null',
    description: 'an RSA attestation key',
    matches: (key) => key.asymmetricKeyType === 'rsa',
  },
  ecc: {
    template: 'ecc256:ecdsa-sha256:null',
    description: 'a NIST P-256 (ECC) attestation key',
    matches: (key) => key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1',
  },
}
const AK_ATTRIBUTES = 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign'

/** The guest `tpm` evidence, field for field as guest-components sends it. */
export interface TpmEvidence {
  tpm_quote: { signature: string; message: string; pcrs: string[] }
  ak_public: string
}

export interface TpmAttesterOptions {
  /** The TCTI the tpm2-tools use, e.g. `device:/dev/tpmrm0` or `swtpm:host=127.0.0.1,port=2321`. */
  readonly tcti: string
  /** Persistent handle of the attestation key; created there when absent (default 0x81010002). */
  readonly akHandle?: number
  /**
   * The AK created when the handle is empty (default `rsa`: RSA-2048, RSASSA-SHA256; `ecc`: NIST
   * P-256, ECDSA-SHA256). A key already at the handle must be of this type.
   */
  readonly akAlgorithm?: TpmAkAlgorithm
  /** SHA-256 init-data digest extended into PCR8 once, before the first quote. */
  readonly initDataDigest?: Uint8Array
  /** Per-command limit for the tpm2-tools (default 30 s). */
  readonly timeoutMs?: number
}

export interface TpmAttester extends Attester {
  /** The attestation key as it appears in evidence: standard base64 of its DER SubjectPublicKeyInfo. */
  akPublic(): Promise<string>
}

/**
 * The `tpm` primary attester over tpm2-tools. The first use loads (or creates and persists) the
 * AK and extends PCR8 with the init-data digest; each `evidence` call then quotes SHA-256 PCRs
 * 0–23 with the report data (resized to 32 bytes) as qualifying data. Calls are serialized: the
 * tools run without a resource manager.
 */
export function createTpmAttester(options: TpmAttesterOptions): TpmAttester {
  const handle = `0x${(options.akHandle ?? DEFAULT_AK_HANDLE).toString(16)}`
  const akAlgorithm: unknown = options.akAlgorithm ?? 'rsa'
  if (!(TPM_AK_ALGORITHMS as readonly unknown[]).includes(akAlgorithm)) {
    throw new AttesterError(
      'OPTION_INVALID',
      `unknown TPM attestation key algorithm ${JSON.stringify(akAlgorithm)}: expected ${TPM_AK_ALGORITHMS.join(' or ')}`,
    )
  }
  const akKind = AK_KINDS[akAlgorithm as TpmAkAlgorithm]
  const initDataDigest = options.initDataDigest
  if (initDataDigest !== undefined && initDataDigest.length !== 32) {
    throw new AttesterError(
      'INIT_DATA_INVALID',
      `the TPM binds a 32-byte (SHA-256) init-data digest, got ${String(initDataDigest.length)} bytes`,
    )
  }
  let queue: Promise<unknown> = Promise.resolve()
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work)
    queue = result.catch(() => undefined)
    return result
  }
  let ready: Promise<string> | undefined
  const setUp = (): Promise<string> => {
    ready ??= inWorkDir(options, async (run, dir) => {
      const akPublic = await loadOrCreateAk(run, dir, handle, akKind)
      if (initDataDigest !== undefined) await extendPcr(run, INIT_DATA_PCR, initDataDigest)
      return akPublic
    }).catch((error: unknown) => {
      ready = undefined
      throw error
    })
    return ready
  }
  return {
    tee: 'tpm',
    akPublic: () => serialized(setUp),
    evidence: (reportData) =>
      serialized(async () => {
        const akPublic = await setUp()
        return inWorkDir(options, async (run, dir) => ({ ...(await quote(run, dir, handle, reportData, akPublic)) }))
      }),
  }
}

/** Extends a SHA-256 PCR with a 32-byte digest. */
export async function extendPcr(run: Tpm2Runner, pcr: number, digest: Uint8Array): Promise<void> {
  if (!Number.isInteger(pcr) || pcr < 0 || pcr >= PCR_COUNT || digest.length !== 32) {
    throw new AttesterError('EVIDENCE_FAILED', `cannot extend PCR ${String(pcr)} with ${String(digest.length)} bytes`)
  }
  await run('tpm2_pcrextend', [`${String(pcr)}:sha256=${Buffer.from(digest).toString('hex')}`])
}

async function loadOrCreateAk(run: Tpm2Runner, dir: string, handle: string, kind: AkKind): Promise<string> {
  const derPath = join(dir, 'ak.der')
  try {
    await run('tpm2_readpublic', ['-c', handle, '-f', 'der', '-o', derPath])
  } catch (error) {
    if (error instanceof AttesterError && error.code === 'TEE_UNAVAILABLE') throw error
    const context = join(dir, 'ak.ctx')
    await run('tpm2_createprimary', [
      '-C',
      'o',
      '-G',
      kind.template,
      '-g',
      'sha256',
      '-a',
      AK_ATTRIBUTES,
      '-c',
      context,
    ])
    await run('tpm2_evictcontrol', ['-C', 'o', '-c', context, handle])
    // Without a resource manager the transient copy stays loaded until flushed.
    await run('tpm2_flushcontext', ['-t'])
    await run('tpm2_readpublic', ['-c', handle, '-f', 'der', '-o', derPath])
  }
  const der = await readFile(derPath)
  let key: KeyObject
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' })
  } catch (cause) {
    throw new AttesterError('EVIDENCE_FAILED', `the key at ${handle} is not a public key tpm2-tools can export`, {
      cause,
    })
  }
  if (!kind.matches(key)) {
    const found = key.asymmetricKeyDetails?.namedCurve ?? ''
    throw new AttesterError(
      'EVIDENCE_FAILED',
      `the key at ${handle} (${String(key.asymmetricKeyType)}${found === '' ? '' : ` ${found}`}) is not ${kind.description}`,
    )
  }
  return key.export({ format: 'der', type: 'spki' }).toString('base64')
}

async function quote(
  run: Tpm2Runner,
  dir: string,
  handle: string,
  reportData: Uint8Array,
  akPublic: string,
): Promise<TpmEvidence> {
  const qualifying = new Uint8Array(TPM_REPORT_DATA_SIZE)
  qualifying.set(reportData.subarray(0, TPM_REPORT_DATA_SIZE))
  const [message, signature, pcrs] = ['quote.msg', 'quote.sig', 'quote.pcrs'].map((name) => join(dir, name)) as [
    string,
    string,
    string,
  ]
  await run('tpm2_quote', [
    ...['-c', handle, '-l', PCR_SELECTION, '-g', 'sha256'],
    ...['-q', Buffer.from(qualifying).toString('hex')],
    ...['-m', message, '-s', signature, '-o', pcrs, '-F', 'values'],
  ])
  const values = await readFile(pcrs)
  if (values.length !== PCR_COUNT * 32) {
    throw new AttesterError('EVIDENCE_FAILED', `tpm2_quote returned ${String(values.length)} bytes of PCR values`)
  }
  return {
    tpm_quote: {
      signature: (await readFile(signature)).toString('base64'),
      message: (await readFile(message)).toString('base64'),
      pcrs: Array.from({ length: PCR_COUNT }, (_, i) => values.subarray(i * 32, i * 32 + 32).toString('hex')),
    },
    ak_public: akPublic,
  }
}

async function inWorkDir<T>(
  options: TpmAttesterOptions,
  work: (run: Tpm2Runner, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'carapace-tpm-'))
  try {
    const run = createTpm2Runner({
      tcti: options.tcti,
      cwd: dir,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    })
    return await work(run, dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
