import { createNodeFetch } from '@carapace/kbs-client'
import {
  addProviderKey,
  configuredKeyWrappers,
  encryptImage,
  formatImageReference,
  jweKeyWrapper,
  kbsKekRegistrar,
  kbsRecipient,
  loadKeyProviderConfig,
  openImageDestination,
  openImageSource,
  parseImageReference,
  parsePublicKey,
  type KeyWrapper,
  type ParsedKey,
} from '@carapace/image'
import type { Command, CommandIo } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK } from '../output.ts'
import {
  DESTINATION_FLAGS,
  destinationOptions,
  layerFlags,
  readBytes,
  readText,
  runImageAction,
  SOURCE_FLAGS,
  sourceOptions,
  stderrProgress,
} from './image-cli-support.ts'

const usage = `Usage: carapace image encrypt SRC DST [--recipient R]... [--kbs URL --admin-key FILE --key-path PATH] [options]

Copies the image SRC to DST, encrypting its layers as ocicrypt does (AES-256-CTR + HMAC-SHA256,
each layer streamed: memory stays bounded whatever the layer size). The manifest (and index) is
rewritten as OCI with +encrypted media types and org.opencontainers.image.enc.* annotations; the
config and its diff_ids are unchanged. Manifests are written last: a failure leaves no image at DST.
SRC and DST are docker://HOST/REPO:TAG or oci:DIR[:TAG], as in skopeo.

Recipients (at least one; every encrypted layer is wrapped for all of them):
      --recipient jwe:PUBKEY         a JWE recipient: RSA (RSA-OAEP) or EC (ECDH-ES+A256KW) public
                                     key, PEM, DER or JWK; readable by skopeo --decryption-key
      --recipient provider:NAME[:PARAMS]
                                     a key provider from $OCICRYPT_KEYPROVIDER_CONFIG (e.g.
                                     provider:attestation-agent:keyid=kbs:///default/k/1)
      --kbs URL --admin-key FILE --key-path REPO/TYPE/TAG [--kbs-cert FILE]
                                     the CoCo attestation-agent packet: a fresh KEK is stored in
                                     the KBS as resource REPO/TYPE/TAG (admin API) BEFORE anything
                                     is written; if that fails, nothing is pushed or written.
                                     Guests get it through the CDH after attestation.
Options:
      --layer N              encrypt only layer N (0-based; negative counts from the end); repeatable
      --src-tls-verify=false, --dest-tls-verify=false
                             accept any certificate and plain HTTP from that registry
      --src-ca FILE, --dest-ca FILE
                             PEM CA certificates to trust for that registry
      --src-creds USER[:PASS], --dest-creds USER[:PASS]
                             credentials for that registry

Examples:
  carapace image encrypt oci:./plain:v1 oci:./enc:v1 --recipient jwe:pub.pem
  carapace image encrypt oci:./plain:v1 docker://registry:5000/app:v1 --dest-tls-verify=false \\
    --kbs https://kbs:8080 --kbs-cert kbs-cert.pem --admin-key admin-key.pem --key-path default/image-kek/app`

export const imageEncrypt: Command = {
  path: ['image', 'encrypt'],
  summary: 'Encrypt an image for JWE recipients, key providers or a KEK held in the KBS',
  usage,
  run: (args, io) => runImageAction(imageEncrypt, io, () => encrypt(args, io)),
}

async function encrypt(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    recipient: { type: 'string', multiple: true },
    kbs: { type: 'string' },
    'kbs-cert': { type: 'string' },
    'admin-key': { type: 'string' },
    'key-path': { type: 'string' },
    layer: { type: 'string', multiple: true },
    ...SOURCE_FLAGS,
    ...DESTINATION_FLAGS,
  })
  if (positionals.length !== 2) throw new UsageError('give SRC and DST image references')
  const src = parseImageReference(positionals[0] ?? '')
  const dst = parseImageReference(positionals[1] ?? '')
  const layers = layerFlags(values.layer)
  const kbsFlags = [values.kbs, values['admin-key'], values['key-path']]
  if (kbsFlags.some((v) => v !== undefined) && kbsFlags.some((v) => v === undefined)) {
    throw new UsageError('--kbs, --admin-key and --key-path go together')
  }
  if (values['kbs-cert'] !== undefined && values.kbs === undefined) throw new UsageError('--kbs-cert goes with --kbs')
  const wrappers = await recipients(values.recipient ?? [])
  if (wrappers.length === 0 && values.kbs === undefined) {
    throw new UsageError('give at least one --recipient, or --kbs with --admin-key and --key-path')
  }
  const source = openImageSource(src, sourceOptions(values))
  const destination = openImageDestination(dst, destinationOptions(values))
  try {
    // The source must be readable before a KEK is stored for it (no orphan KEKs in the KBS).
    await source.getManifest()
    if (values.kbs !== undefined && values['admin-key'] !== undefined && values['key-path'] !== undefined) {
      const certFile = values['kbs-cert']
      const registrar = kbsKekRegistrar({
        url: values.kbs,
        adminKeyPem: readText(values['admin-key'], '--admin-key'),
        fetch: createNodeFetch(certFile === undefined ? {} : { ca: readText(certFile, '--kbs-cert') }),
      })
      wrappers.push(await kbsRecipient({ store: registrar, keyPath: values['key-path'] }))
      io.stderr(`carapace image encrypt: KEK stored in the KBS as ${values['key-path']}\n`)
    }
    const result = await encryptImage({
      source,
      destination,
      wrappers,
      progress: stderrProgress(),
      ...(layers === undefined ? {} : { layers }),
    })
    const count = result.images.reduce((n, image) => n + image.encrypted.length, 0)
    io.stdout(
      `Encrypted ${count} layer(s) of ${formatImageReference(src)} into ${formatImageReference(dst)} (${result.manifestDigest})\n`,
    )
  } finally {
    await source.close()
    await destination.close()
  }
  return EXIT_OK
}

async function recipients(specs: readonly string[]): Promise<KeyWrapper[]> {
  const jwe: ParsedKey[] = []
  const providers: Record<string, Uint8Array[]> = {}
  for (const spec of specs) {
    if (spec.startsWith('jwe:')) jwe.push(parsePublicKey(readBytes(spec.slice(4), '--recipient')))
    else if (spec.startsWith('provider:')) addProviderKey(providers, spec)
    else throw new UsageError(`--recipient ${JSON.stringify(spec)}: expected jwe:PUBKEY or provider:NAME[:PARAMS]`)
  }
  const wrappers: KeyWrapper[] = jwe.length === 0 ? [] : [jweKeyWrapper(jwe)]
  if (Object.keys(providers).length > 0) {
    const config = await loadKeyProviderConfig()
    for (const name of Object.keys(providers)) {
      if (!config.has(name)) {
        throw new UsageError(`--recipient provider:${name}: no such provider in $OCICRYPT_KEYPROVIDER_CONFIG`)
      }
    }
    wrappers.push(...configuredKeyWrappers(config, providers))
  }
  return wrappers
}
