import { readFileSync } from 'node:fs'
import { createTpmAttester, TPM_AK_ALGORITHMS, type Attester, type TpmAkAlgorithm } from '@carapace/attester'
import { initDataDigest as initDataDigestOf, parseInitData } from '@carapace/protocol'
import { CdhError, createStderrCdhLogger, DEFAULT_CDH_LISTEN, startCdhServer } from '@carapace/data-hub'
import type { Command, CommandIo } from '../command.ts'
import { choiceFlag, parseFlags, UsageError } from '../flags.ts'
import { EXIT_FAILURE, EXIT_OK, runAction } from '../output.ts'

const DEFAULT_TPM_TCTI = 'device:/dev/tpmrm0'

const usage = `Usage: carapace cdh serve --kbs-url URL [options]

Runs the Confidential Data Hub REST API of guest-components' api-server-rest in front of a KBS:
  GET /cdh/resource/<repository>/<type>/<tag>   the resource, fetched after attesting to the KBS
  GET /aa/token?token_type=kbs                 {"token": …, "tee_keypair": <PEM>}
  GET /aa/evidence?runtime_data=…[&encoding=base64]
                                               evidence binding runtime_data as-is (not hashed)
  GET /aa/additional-evidence, POST /aa/aael, GET /info
One attested KBS session serves every request (token cached until it expires, re-attested on 401).
Only loopback peers are served: this API hands secrets to whoever connects. Runs until SIGINT/SIGTERM.

Options:
      --kbs-url URL       the KBS, e.g. https://127.0.0.1:8080 (required)
      --cert-file FILE    PEM certificate(s) to trust for the KBS (e.g. its self-signed one);
                          default: the system roots
      --listen HOST:PORT  where to listen (default ${DEFAULT_CDH_LISTEN}); must be loopback
      --init-data FILE    init-data TOML sent to the KBS and bound at attestation
      --attester NAME     the TEE attester: sample (default; no hardware) or tpm (a TPM 2.0
                          through tpm2-tools: quotes PCRs 0-23, extends PCR8 with the
                          init-data digest, which must then use algorithm = "sha256")
      --tpm-tcti TCTI     the TPM for --attester tpm (default ${DEFAULT_TPM_TCTI}),
                          e.g. swtpm:host=127.0.0.1,port=2321 for a software TPM
      --tpm-ak-alg ALG    the attestation key --attester tpm creates when the TPM has none:
                          rsa (default; RSA-2048, RSASSA-SHA256) or ecc (NIST P-256,
                          ECDSA-SHA256); a key already persisted must be of this type
      --insecure-allow-non-loopback
                          listen on a non-loopback address and serve remote peers (DANGEROUS)

Examples:
  carapace cdh serve --kbs-url https://127.0.0.1:8080 --cert-file carapace-data/tls/server-cert.pem
  carapace cdh serve --kbs-url https://kbs:8080 --attester tpm --init-data initdata.toml`

/** Resolves when the process is asked to stop. */
export type StopSignal = () => Promise<string>

/** SIGINT or SIGTERM, whichever comes first. */
export const processStopSignal: StopSignal = () =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(signal)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })

/** `carapace cdh serve`, stopping when `stopSignal` resolves (injected for tests). */
export function makeCdhServe(stopSignal: StopSignal): Command {
  const command: Command = {
    path: ['cdh', 'serve'],
    summary: 'Run the Confidential Data Hub API on 127.0.0.1:8006 (resources, tokens, evidence)',
    usage,
    run: (args, io) => runAction(command, io, () => serve(args, io, stopSignal)),
  }
  return command
}

export const cdhServe: Command = makeCdhServe(processStopSignal)

async function serve(args: readonly string[], io: CommandIo, stopSignal: StopSignal): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    'kbs-url': { type: 'string' },
    'cert-file': { type: 'string' },
    listen: { type: 'string' },
    'init-data': { type: 'string' },
    attester: { type: 'string', default: 'sample' },
    'tpm-tcti': { type: 'string' },
    'tpm-ak-alg': { type: 'string' },
    'insecure-allow-non-loopback': { type: 'boolean' },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
  const kbsUrl = values['kbs-url']
  if (kbsUrl === undefined) throw new UsageError('--kbs-url is required')
  // With the sample attester, startCdhServer picks it by default and says so.
  const attesterName = choiceFlag('attester', values.attester, ['sample', 'tpm'])
  if (values['tpm-tcti'] !== undefined && attesterName !== 'tpm') {
    throw new UsageError('--tpm-tcti goes with --attester tpm')
  }
  if (values['tpm-ak-alg'] !== undefined && attesterName !== 'tpm') {
    throw new UsageError('--tpm-ak-alg goes with --attester tpm')
  }
  const akAlgorithm =
    values['tpm-ak-alg'] === undefined ? undefined : choiceFlag('tpm-ak-alg', values['tpm-ak-alg'], TPM_AK_ALGORITHMS)
  const name = 'carapace cdh serve'
  let kbsCertPem: string | undefined
  let initData: string | undefined
  try {
    kbsCertPem = values['cert-file'] === undefined ? undefined : readText(values['cert-file'], 'certificate')
    initData = values['init-data'] === undefined ? undefined : readText(values['init-data'], 'init-data')
  } catch (e) {
    io.stderr(`${name}: ${e instanceof Error ? e.message : String(e)}\n`)
    return EXIT_FAILURE
  }
  if (kbsCertPem !== undefined && !kbsCertPem.includes('-----BEGIN CERTIFICATE-----')) {
    io.stderr(`${name}: ${String(values['cert-file'])} holds no PEM certificate\n`)
    return EXIT_FAILURE
  }
  let attester: Attester | undefined
  if (attesterName === 'tpm') {
    try {
      attester = tpmAttester(values['tpm-tcti'] ?? DEFAULT_TPM_TCTI, akAlgorithm, initData)
    } catch (e) {
      io.stderr(`${name}: ${e instanceof Error ? e.message : String(e)}\n`)
      return EXIT_FAILURE
    }
  }
  let cdh
  try {
    cdh = await startCdhServer({
      kbsUrl,
      logger: createStderrCdhLogger(io.stderr),
      ...(kbsCertPem === undefined ? {} : { kbsCertPem }),
      ...(initData === undefined ? {} : { initData }),
      ...(attester === undefined ? {} : { attester }),
      ...(values.listen === undefined ? {} : { listen: values.listen }),
      ...(values['insecure-allow-non-loopback'] === true ? { insecureAllowNonLoopback: true } : {}),
    })
  } catch (e) {
    if (e instanceof CdhError || (e instanceof Error && 'code' in e && typeof e.code === 'string')) {
      io.stderr(`${name}: ${e.message}\n`)
      return EXIT_FAILURE
    }
    throw e
  }
  io.stdout(`CDH API listening on ${cdh.url} (KBS ${kbsUrl})\n`)
  const signal = await stopSignal()
  io.stdout(`${signal}: stopping\n`)
  await cdh.close()
  return EXIT_OK
}

/** The init-data digest goes into PCR8 under the document's own algorithm (a TPM takes only sha256). */
function tpmAttester(tcti: string, akAlgorithm: TpmAkAlgorithm | undefined, initData: string | undefined): Attester {
  let initDataDigest: Uint8Array | undefined
  if (initData !== undefined) {
    const { algorithm } = parseInitData(initData)
    if (algorithm !== 'sha256') {
      throw new Error(`--attester tpm binds init data into PCR8 and needs algorithm = "sha256", not "${algorithm}"`)
    }
    initDataDigest = initDataDigestOf(initData, algorithm)
  }
  return createTpmAttester({
    tcti,
    ...(akAlgorithm === undefined ? {} : { akAlgorithm }),
    ...(initDataDigest === undefined ? {} : { initDataDigest }),
  })
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable'
    throw new Error(`cannot read ${what} file ${path}: ${code}`, { cause: e })
  }
}
