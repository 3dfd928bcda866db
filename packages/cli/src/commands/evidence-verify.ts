import { readFile } from 'node:fs/promises'
import type { Tee } from '@carapace/protocol'
import {
  createCachedCollateral,
  createCcaVerifier,
  createNvidiaDpuVerifier,
  DEFAULT_CCA_CONFIG,
  parseTrustAnchorStore,
  createDirectoryCollateral,
  firstOf,
  NO_COLLATERAL,
  VERIFIER_FACTORIES,
  verifierFor,
  type CollateralSource,
  type Verifier,
} from '@carapace/verifier'
import type { Command } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK, runAction } from '../output.ts'
import { hexFlag, reportTypedFailure, timeFlag } from './collateral-cli-support.ts'

const TEES = Object.keys(VERIFIER_FACTORIES) as Tee[]

const usage = `Usage: carapace evidence verify --tee TEE --evidence FILE [options]

Verifies TEE evidence offline with Carapace's verifier for TEE and prints the claims as JSON
(exit 0), or the failed check with its error code (exit 1).

Options:
      --tee TEE                 ${TEES.join(', ')}
      --evidence FILE           the evidence as the attester sends it (JSON for snp, sgx, tdx, …)
      --report-data HEX         the expected runtime-data digest (default: not checked, as
                                upstream's ReportData::NotProvided; stderr says so)
      --init-data-digest HEX    the expected init-data digest (default: not checked)
      --collateral DIR          a flat folder of one platform's collateral (docs/collateral.md)
      --cache DIR               a collateral cache or imported bundle, read offline
      --at RFC3339              judge certificates, CRLs and TCB at this time (default: now)
      --cca-config FILE         cca: upstream's local-mode config ({"cca-verifier":{"type":"local",
                                "ta-store":PATH}}) or a ta-store itself (default: CCA_CONFIG_FILE,
                                else ${DEFAULT_CCA_CONFIG})
      --nvidia-dpu-root-ca FILE nvidia-dpu: the DPU manufacturer root CA, PEM (required for nvidia-dpu)
      --nvidia-dpu-max-cert-age SECS
                                nvidia-dpu: the oldest Alias certificate accepted (default 3600)

Example:
  carapace evidence verify --tee sgx --evidence quote.json --report-data 48656c6c6f \\
    --collateral ./collateral --at 2025-07-19T10:01:17Z`

async function readFlagFile(flag: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (e) {
    throw new UsageError(`--${flag}: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** `--cca-config`: upstream's local config naming a ta-store, or a ta-store (a JSON array) itself. */
async function ccaVerifier(path: string): Promise<Verifier> {
  const text = Buffer.from(await readFlagFile('cca-config', path)).toString('utf8')
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    throw new UsageError(`--cca-config: ${path} is not JSON`)
  }
  if (!Array.isArray(document)) return createCcaVerifier({ configFile: path })
  try {
    return createCcaVerifier({ trustAnchors: parseTrustAnchorStore(document) })
  } catch (e) {
    throw new UsageError(`--cca-config: ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

async function nvidiaDpuVerifier(rootCaPath: string | undefined, maxAge: string | undefined): Promise<Verifier> {
  if (rootCaPath === undefined) {
    if (maxAge !== undefined) throw new UsageError('--nvidia-dpu-max-cert-age needs --nvidia-dpu-root-ca')
    return verifierFor('nvidia-dpu')
  }
  if (maxAge !== undefined && !/^\d{1,12}$/.test(maxAge)) {
    throw new UsageError(`--nvidia-dpu-max-cert-age: expected whole seconds, got ${JSON.stringify(maxAge)}`)
  }
  const rootCa = await readFlagFile('nvidia-dpu-root-ca', rootCaPath)
  try {
    return createNvidiaDpuVerifier({ rootCa, ...(maxAge === undefined ? {} : { maxCertAgeSecs: Number(maxAge) }) })
  } catch (e) {
    throw new UsageError(`--nvidia-dpu-root-ca: ${rootCaPath}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** The verifier for `--tee`, configured by its TEE's flags; a flag for another TEE is a usage error. */
async function configuredVerifier(tee: Tee, values: Readonly<Record<string, string | undefined>>): Promise<Verifier> {
  const flagsOf: Readonly<Record<string, Tee>> = {
    'cca-config': 'cca',
    'nvidia-dpu-root-ca': 'nvidia-dpu',
    'nvidia-dpu-max-cert-age': 'nvidia-dpu',
  }
  for (const [flag, owner] of Object.entries(flagsOf)) {
    if (values[flag] !== undefined && owner !== tee) throw new UsageError(`--${flag} is for --tee ${owner}`)
  }
  const ccaConfig = values['cca-config']
  if (tee === 'cca' && ccaConfig !== undefined) return ccaVerifier(ccaConfig)
  if (tee === 'nvidia-dpu') return nvidiaDpuVerifier(values['nvidia-dpu-root-ca'], values['nvidia-dpu-max-cert-age'])
  return verifierFor(tee)
}

function teeFlag(text: string | undefined): Tee {
  const tee = TEES.find((t) => t === text)
  if (tee === undefined) throw new UsageError(`--tee: expected one of ${TEES.join(', ')}`)
  return tee
}

export const evidenceVerify: Command = {
  path: ['evidence', 'verify'],
  summary: 'Verify TEE evidence offline and print its claims',
  usage,
  run: (args, io) =>
    runAction(evidenceVerify, io, async () => {
      const { values, positionals } = parseFlags(args, {
        tee: { type: 'string' },
        evidence: { type: 'string' },
        'report-data': { type: 'string' },
        'init-data-digest': { type: 'string' },
        collateral: { type: 'string' },
        cache: { type: 'string' },
        at: { type: 'string' },
        'cca-config': { type: 'string' },
        'nvidia-dpu-root-ca': { type: 'string' },
        'nvidia-dpu-max-cert-age': { type: 'string' },
      })
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0] ?? ''}`)
      const tee = teeFlag(values.tee)
      if (values.evidence === undefined) throw new UsageError('--evidence FILE is required')
      const reportData = hexFlag('report-data', values['report-data'])
      const initDataDigest = hexFlag('init-data-digest', values['init-data-digest'])
      const at = timeFlag('at', values.at)
      const verifier = await configuredVerifier(tee, values)
      let evidence: Uint8Array
      try {
        evidence = new Uint8Array(await readFile(values.evidence))
      } catch (e) {
        throw new UsageError(
          `--evidence: cannot read ${values.evidence}: ${e instanceof Error ? e.message : String(e)}`,
        )
      }
      const sources: CollateralSource[] = []
      if (values.collateral !== undefined) sources.push(createDirectoryCollateral(values.collateral))
      if (values.cache !== undefined) {
        sources.push(
          createCachedCollateral(NO_COLLATERAL, {
            dir: values.cache,
            ...(at === undefined ? {} : { now: () => at }),
            onStale: (key) => {
              io.stderr(`warning: ${key} in the cache is past its nextUpdate\n`)
            },
          }),
        )
      }
      const unchecked = [
        ...(reportData === undefined ? ['report data (no --report-data)'] : []),
        ...(initDataDigest === undefined ? ['init data (no --init-data-digest)'] : []),
      ]
      if (unchecked.length > 0) io.stderr(`carapace evidence verify: not checked: ${unchecked.join(', ')}\n`)
      try {
        const verified = await verifier.verify(
          evidence,
          {
            ...(reportData === undefined ? {} : { reportData }),
            ...(initDataDigest === undefined ? {} : { initDataDigest }),
          },
          { collateral: sources.length === 0 ? NO_COLLATERAL : firstOf(sources), ...(at === undefined ? {} : { at }) },
        )
        // One claims object, or (several GPUs, …) an array of them.
        const claims = verified.map((v) => v.claims)
        io.stdout(`${JSON.stringify(claims.length === 1 ? claims[0] : claims, null, 2)}\n`)
        return EXIT_OK
      } catch (error) {
        const code = reportTypedFailure('carapace evidence verify', io, error)
        if (code === undefined) throw error
        return code
      }
    }),
}
