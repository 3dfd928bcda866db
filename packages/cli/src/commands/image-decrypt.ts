import {
  cdhKeyUnwrapper,
  cdhResourceFetcher,
  decryptImage,
  formatImageReference,
  openImageDestination,
  openImageSource,
  parseImageReference,
} from '@carapace/image'
import type { Command, CommandIo } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK } from '../output.ts'
import {
  abortOnStopSignals,
  decryptionKeys,
  DESTINATION_FLAGS,
  destinationOptions,
  layerFlags,
  runImageAction,
  SOURCE_FLAGS,
  sourceOptions,
  stderrProgress,
} from './image-cli-support.ts'

const usage = `Usage: carapace image decrypt SRC DST --decryption-key KEY... [--cdh URL] [options]

Copies the image SRC to DST with its encrypted layers decrypted, as skopeo copy --decryption-key
does: each layer stays compressed (…+gzip+encrypted → …+gzip), gets its plaintext digest and loses
its org.opencontainers.image.enc.* annotations; the config and its diff_ids are unchanged.
Every layer key is opened first (a missing or wrong key fails before anything is written), and
each encrypted layer is authenticated whole (blob digest and HMAC) before any of its plaintext is
written. Manifests are written last: a failure leaves no manifest or tag at DST (blobs already
copied may stay in an OCI layout, unreferenced, as with skopeo). Nothing is verified against a
signature policy and nothing is unpacked: that is image pull.
SRC and DST are docker://HOST/REPO:TAG or oci:DIR[:TAG], as in skopeo.

Keys (at least one):
      --decryption-key KEY     a JWE private key file (PEM, DER or JWK), or provider:NAME[:PARAMS]
                               for a key provider from $OCICRYPT_KEYPROVIDER_CONFIG; repeatable
      --cdh URL                the Confidential Data Hub: KEKs of provider.attestation-agent
                               layers are fetched from GET URL/cdh/resource/<repo>/<type>/<tag>
Options:
      --layer N              decrypt only layer N (0-based; negative counts from the end); repeatable
      --src-tls-verify=false, --dest-tls-verify=false
                             accept any certificate and plain HTTP from that registry
      --src-ca FILE, --dest-ca FILE
                             PEM CA certificates to trust for that registry
      --src-creds USER[:PASS], --dest-creds USER[:PASS]
                             credentials for that registry

Examples:
  carapace image decrypt oci:./enc:v1 oci:./plain:v1 --decryption-key jwe-priv.pem
  carapace image decrypt docker://registry:5000/app:v1 oci:./app:v1 --src-tls-verify=false --cdh http://127.0.0.1:8006`

export const imageDecrypt: Command = {
  path: ['image', 'decrypt'],
  summary: 'Decrypt an image into another (skopeo copy --decryption-key): layers stay compressed',
  usage,
  run: (args, io) => runImageAction(imageDecrypt, io, () => decrypt(args, io)),
}

async function decrypt(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    'decryption-key': { type: 'string', multiple: true },
    cdh: { type: 'string' },
    layer: { type: 'string', multiple: true },
    ...SOURCE_FLAGS,
    ...DESTINATION_FLAGS,
  })
  if (positionals.length !== 2) throw new UsageError('give SRC and DST image references')
  const src = parseImageReference(positionals[0] ?? '')
  const dst = parseImageReference(positionals[1] ?? '')
  const layers = layerFlags(values.layer)
  const unwrappers = await decryptionKeys(values['decryption-key'] ?? [])
  if (values.cdh !== undefined) unwrappers.push(cdhKeyUnwrapper(cdhResourceFetcher(values.cdh)))
  if (unwrappers.length === 0) throw new UsageError('give at least one --decryption-key, or --cdh')
  const source = openImageSource(src, sourceOptions(values))
  const destination = openImageDestination(dst, destinationOptions(values))
  try {
    // Ctrl-C or SIGTERM: stop before the next layer or chunk; no manifest is written.
    const result = await abortOnStopSignals((signal) =>
      decryptImage({
        source,
        destination,
        unwrappers,
        progress: stderrProgress(),
        signal,
        ...(layers === undefined ? {} : { layers }),
      }),
    )
    const decrypted = result.images.flatMap((image) => image.decrypted)
    io.stdout(
      [
        `Decrypted ${decrypted.length} layer(s) of ${formatImageReference(src)} into ${formatImageReference(dst)} (${result.manifestDigest})`,
        ...decrypted.map((l) => `  layer ${l.index + 1}: ${l.encryptedDigest} → ${l.digest} (${l.unwrappedBy})`),
        '',
      ].join('\n'),
    )
  } finally {
    await source.close()
    await destination.close()
  }
  return EXIT_OK
}
