import { readFile } from 'node:fs/promises'
import type { Tee } from '@carapace/protocol'
import {
  collateralKey,
  createCachedCollateral,
  createHttpCollateral,
  VerificationError,
  VERIFIER_FACTORIES,
  verifierFor,
  writeBundleIndex,
  type CollateralRequest,
  type CollateralSource,
} from '@carapace/verifier'
import type { Command } from '../command.ts'
import { choiceFlag, integerFlag, parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK, runAction } from '../output.ts'
import { hexFlag, reportTypedFailure, timeFlag } from './collateral-cli-support.ts'

const usage = `Usage: carapace collateral fetch --out DIR (--evidence FILE --tee TEE | --fmspc HEX | --amd-product P) [options]

Fetches vendor collateral from AMD KDS and Intel PCS into an offline bundle (docs/collateral.md),
to be carried to an air-gapped site and loaded with \`carapace collateral import\`.

What to fetch (one of):
      --evidence FILE --tee TEE  what verifying this evidence asks for (the verifier runs once
                                 against the services; its verdict is printed, not required)
      --fmspc HEX                Intel: TCB Info and QE Identity (--intel-tee), both PCK CRLs, root CRL
      --amd-product P            AMD: Milan, Genoa or Turin: VCEK and VLEK chains and CRLs

Options:
      --out DIR                  the bundle folder (created; entries already there are kept)
      --intel-tee sgx|tdx        with --fmspc (default sgx)
      --report-data HEX          with --evidence: the expected runtime data
      --at RFC3339               with --evidence: the verification time
      --kds-url URL              AMD KDS (default https://kdsintf.amd.com)
      --pcs-url URL              Intel PCS (default https://api.trustedservices.intel.com)
      --root-crl-url URL         the Intel SGX Root CA CRL
      --timeout-ms N             per request (default 10000)
      --kds-spacing-ms N         least time between AMD KDS requests (default 10000: AMD allows
                                 about one request per 10 s per IP; HTTP 429 is also retried)`

function recording(inner: CollateralSource, fetched: string[]): CollateralSource {
  return {
    async get(request) {
      const item = await inner.get(request)
      fetched.push(`${collateralKey(request)}${item === undefined ? ' (not served)' : ''}`)
      return item
    },
  }
}

function plannedRequests(fmspc: Uint8Array | undefined, intelTee: 'sgx' | 'tdx', product: string | undefined) {
  const out: CollateralRequest[] = []
  if (fmspc !== undefined) {
    if (fmspc.length !== 6) throw new UsageError('--fmspc: expected 6 bytes hex')
    out.push(
      { kind: 'intel-tcb-info', tee: intelTee, fmspc: Buffer.from(fmspc).toString('hex') },
      { kind: 'intel-qe-identity', tee: intelTee },
      { kind: 'intel-pck-crl', ca: 'processor' },
      { kind: 'intel-pck-crl', ca: 'platform' },
      { kind: 'intel-root-ca-crl' },
    )
  }
  if (product !== undefined) {
    const p = choiceFlag('amd-product', product, ['Milan', 'Genoa', 'Turin'])
    for (const signer of ['vcek', 'vlek'] as const) {
      out.push({ kind: 'amd-cert-chain', product: p, signer }, { kind: 'amd-crl', product: p, signer })
    }
  }
  return out
}

export const collateralFetch: Command = {
  path: ['collateral', 'fetch'],
  summary: 'Fetch AMD KDS / Intel PCS collateral into an offline bundle',
  usage,
  run: (args, io) =>
    runAction(collateralFetch, io, async () => {
      const { values, positionals } = parseFlags(args, {
        out: { type: 'string' },
        evidence: { type: 'string' },
        tee: { type: 'string' },
        fmspc: { type: 'string' },
        'intel-tee': { type: 'string', default: 'sgx' },
        'amd-product': { type: 'string' },
        'report-data': { type: 'string' },
        at: { type: 'string' },
        'kds-url': { type: 'string' },
        'pcs-url': { type: 'string' },
        'root-crl-url': { type: 'string' },
        'timeout-ms': { type: 'string' },
        'kds-spacing-ms': { type: 'string' },
      })
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0] ?? ''}`)
      if (values.out === undefined) throw new UsageError('--out DIR is required')
      const modes = [values.evidence, values.fmspc, values['amd-product']].filter((v) => v !== undefined)
      if (modes.length !== 1) throw new UsageError('give exactly one of --evidence, --fmspc, --amd-product')
      const timeoutMs = integerFlag('timeout-ms', values['timeout-ms'], 1)
      const amdKdsSpacingMs = integerFlag('kds-spacing-ms', values['kds-spacing-ms'], 0) ?? 10_000
      const http = createHttpCollateral({
        ...(values['kds-url'] === undefined ? {} : { amdKdsUrl: values['kds-url'] }),
        ...(values['pcs-url'] === undefined ? {} : { intelPcsUrl: values['pcs-url'] }),
        ...(values['root-crl-url'] === undefined ? {} : { intelRootCaCrlUrl: values['root-crl-url'] }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        amdKdsSpacingMs,
      })
      const fetched: string[] = []
      const source = recording(createCachedCollateral(http, { dir: values.out }), fetched)
      try {
        if (values.evidence !== undefined) {
          const tee = Object.keys(VERIFIER_FACTORIES).find((t) => t === values.tee) as Tee | undefined
          if (tee === undefined) throw new UsageError('--evidence needs --tee (a TEE with a verifier)')
          const evidence = new Uint8Array(await readFile(values.evidence))
          const at = timeFlag('at', values.at)
          const reportData = hexFlag('report-data', values['report-data']) ?? new Uint8Array()
          try {
            await verifierFor(tee).verify(evidence, { reportData }, { collateral: source, ...(at ? { at } : {}) })
            io.stderr('the evidence verifies with this collateral\n')
          } catch (e) {
            if (!(e instanceof VerificationError)) throw e
            io.stderr(
              `note: the evidence does not verify (${e.code}: ${e.message}); the collateral it asked for is kept\n`,
            )
          }
        } else {
          const intelTee = choiceFlag('intel-tee', values['intel-tee'], ['sgx', 'tdx'])
          for (const request of plannedRequests(hexFlag('fmspc', values.fmspc), intelTee, values['amd-product'])) {
            await source.get(request)
          }
        }
        const keys = await writeBundleIndex(values.out)
        io.stdout(`${JSON.stringify({ fetched, bundle: values.out, entries: keys }, null, 2)}\n`)
        return EXIT_OK
      } catch (error) {
        const code = reportTypedFailure('carapace collateral fetch', io, error)
        if (code === undefined) throw error
        return code
      }
    }),
}
