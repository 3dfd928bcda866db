import { existsSync } from 'node:fs'
import {
  cdhKeyUnwrapper,
  cdhResourceFetcher,
  formatImageReference,
  loadPolicy,
  loadRegistriesD,
  openImageSource,
  parseImageReference,
  parsePlatform,
  parsePolicy,
  pullImage,
  type FetchResource,
  type Policy,
} from '@carapace/image'
import type { Command, CommandIo } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK } from '../output.ts'
import {
  abortOnStopSignals,
  decryptionKeys,
  runImageAction,
  SOURCE_FLAGS,
  sourceOptions,
  stderrProgress,
} from './image-cli-support.ts'

const DEFAULT_POLICY = '/etc/containers/policy.json'
const DEFAULT_REGISTRIES_D = '/etc/containers/registries.d'

const usage = `Usage: carapace image pull REF --dest DIR [options]

Pulls an image into DIR, as a guest does before running it:
  1. resolves the manifest (the --platform entry of an index),
  2. evaluates the signature policy BEFORE any layer is fetched,
  3. opens every encrypted layer's key (local JWE keys, or the KBS through the CDH after attestation),
  4. per layer: fetch (digest verified) → decrypt (HMAC checked) → decompress → unpack, diff_id checked.
Everything goes to a staging directory beside DIR, renamed onto DIR only when all layers verified:
on any failure nothing is left. DIR then holds:
  DIR/rootfs/         the unpacked root filesystem
  DIR/config.json     the image config (OCI image config JSON, as fetched)
  DIR/manifest.json   the image manifest, as fetched (its sha256 is the image digest)

REF is docker://HOST/REPO:TAG, docker://HOST/REPO@sha256:…, or oci:DIR[:TAG], as in skopeo.

Options:
      --dest DIR               where to put the image (must not exist, or be empty)
      --policy FILE|kbs:///R/T/TAG
                               containers-policy.json (default ${DEFAULT_POLICY}); a kbs:///
                               resource is fetched through --cdh, as image-rs does
      --insecure-policy        accept any image without checking signatures (DANGEROUS)
      --registries.d DIR       where docker images' signatures live (default ${DEFAULT_REGISTRIES_D})
      --decryption-key KEY     a JWE private key file (PEM, DER or JWK), or provider:NAME[:PARAMS]
                               for a key provider from $OCICRYPT_KEYPROVIDER_CONFIG; repeatable
      --cdh URL                the Confidential Data Hub (e.g. http://127.0.0.1:8006): KEKs of
                               provider.attestation-agent layers and kbs:/// policy keys are
                               fetched from GET URL/cdh/resource/<repo>/<type>/<tag>
      --platform OS/ARCH[/VARIANT]  the entry to pick from an index (default linux/<this arch>)
      --src-tls-verify=false   accept any certificate and plain HTTP from the registry
      --src-ca FILE            PEM CA certificates to trust for the registry
      --src-creds USER[:PASS]  registry credentials (Basic, or for the Bearer token service)

Examples:
  carapace image pull docker://registry:5000/app:v1 --dest /run/app --policy policy.json --cdh http://127.0.0.1:8006
  carapace image pull oci:./enc:v1 --dest ./out --insecure-policy --decryption-key jwe-priv.pem`

export const imagePull: Command = {
  path: ['image', 'pull'],
  summary: 'Pull, verify, decrypt and unpack an image into a directory (guest side)',
  usage,
  run: (args, io) => runImageAction(imagePull, io, () => pull(args, io)),
}

async function pull(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    dest: { type: 'string' },
    policy: { type: 'string' },
    'insecure-policy': { type: 'boolean' },
    'registries.d': { type: 'string' },
    'decryption-key': { type: 'string', multiple: true },
    cdh: { type: 'string' },
    platform: { type: 'string' },
    ...SOURCE_FLAGS,
  })
  if (positionals.length !== 1) throw new UsageError('give exactly one image reference')
  const dest = values.dest
  if (dest === undefined) throw new UsageError('--dest DIR is required')
  if (values['insecure-policy'] === true && values.policy !== undefined) {
    throw new UsageError('--policy and --insecure-policy exclude each other')
  }
  const reference = parseImageReference(positionals[0] ?? '')
  const platform = values.platform === undefined ? undefined : parsePlatform(values.platform)
  const fetchResource: FetchResource | undefined = values.cdh === undefined ? undefined : cdhResourceFetcher(values.cdh)
  const policy = await policyFrom(values.policy, values['insecure-policy'] === true, io, fetchResource)
  const registriesDir = values['registries.d'] ?? DEFAULT_REGISTRIES_D
  const registries = reference.transport === 'docker' ? await loadRegistriesD(registriesDir) : undefined
  const unwrappers = await decryptionKeys(values['decryption-key'] ?? [])
  if (fetchResource !== undefined) unwrappers.push(cdhKeyUnwrapper(fetchResource))
  const source = openImageSource(reference, sourceOptions(values))
  try {
    // Ctrl-C or SIGTERM mid-pull: stop at the next tar entry and remove the staging directory.
    const result = await abortOnStopSignals((signal) =>
      pullImage({
        signal,
        source,
        reference,
        dest,
        policy: {
          policy,
          ...(registries === undefined ? {} : { registries }),
          ...(fetchResource === undefined ? {} : { fetchResource }),
        },
        unwrappers,
        progress: stderrProgress(),
        unpack: {
          onWarning: (w) => {
            io.stderr(`carapace image pull: warning: layer ${w.layer + 1}: ${w.message}\n`)
          },
        },
        ...(platform === undefined ? {} : { platform }),
      }),
    )
    io.stdout(
      [
        `Pulled ${formatImageReference(reference)} (${result.manifestDigest}) into ${result.dest}`,
        `  policy scope: ${result.policy.scope}; accepted signatures: ${result.policy.accepted.length}`,
        ...result.layers.map(
          (l, i) =>
            `  layer ${i + 1}: ${l.digest}${l.unwrappedBy === undefined ? '' : ` (decrypted, ${l.unwrappedBy})`}`,
        ),
        '',
      ].join('\n'),
    )
  } finally {
    await source.close()
  }
  return EXIT_OK
}

async function policyFrom(
  path: string | undefined,
  insecure: boolean,
  io: CommandIo,
  fetchResource: FetchResource | undefined,
): Promise<Policy> {
  if (insecure) {
    io.stderr('carapace image pull: WARNING: --insecure-policy: signatures are NOT checked\n')
    return parsePolicy('{"default":[{"type":"insecureAcceptAnything"}]}')
  }
  if (path?.startsWith('kbs:') === true) {
    // As image-rs does with its security-policy resource: the policy itself comes from the KBS.
    if (fetchResource === undefined) throw new UsageError(`--policy ${path} needs --cdh`)
    return parsePolicy(await fetchResource(path))
  }
  const file = path ?? DEFAULT_POLICY
  if (path === undefined && !existsSync(file)) {
    throw new UsageError(`no signature policy: ${DEFAULT_POLICY} does not exist; give --policy FILE`)
  }
  return loadPolicy(file)
}
