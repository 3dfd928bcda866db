import {
  formatDockerReference,
  formatImageReference,
  openImageDestination,
  openImageSource,
  parseImageReference,
  readSigningKey,
  signImage,
} from '@carapace/image'
import type { Command, CommandIo } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK } from '../output.ts'
import { readBytes, readText, registryOptions, runImageAction, tlsVerifyFlag } from './image-cli-support.ts'

const usage = `Usage: carapace image sign REF --key COSIGN.KEY [--passphrase-file FILE] [options]

Signs the manifest REF names the cosign way: a simple-signing payload naming the identity and the
manifest digest, signed with the key, stored as a layer of the sha256-<hex>.sig manifest in the
same repository (or layout). Verify with a sigstoreSigned requirement in policy.json (registries.d:
use-sigstore-attachments: true). For an encrypted image, sign after encrypting: the signature
covers the encrypted manifest.

Options:
      --key FILE               cosign/skopeo private key (ENCRYPTED COSIGN PRIVATE KEY, or a PKCS#8
                               ECDSA, Ed25519 or RSA key)
      --passphrase-file FILE   the key's passphrase (first line)
      --identity REF           the docker reference to sign (default: REF's own host/repo:tag;
                               required for oci: layouts)
      --tls-verify=false       accept any certificate and plain HTTP from the registry
      --ca FILE                PEM CA certificates to trust for the registry
      --creds USER[:PASS]      registry credentials

Example:
  carapace image sign docker://registry:5000/app:v1 --key cosign.key --passphrase-file pass.txt`

export const imageSign: Command = {
  path: ['image', 'sign'],
  summary: 'Sign an image with a cosign key (sigstore attachment sha256-<digest>.sig)',
  usage,
  run: (args, io) => runImageAction(imageSign, io, () => sign(args, io)),
}

async function sign(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    key: { type: 'string' },
    'passphrase-file': { type: 'string' },
    identity: { type: 'string' },
    'tls-verify': { type: 'string' },
    ca: { type: 'string' },
    creds: { type: 'string' },
  })
  if (positionals.length !== 1) throw new UsageError('give exactly one image reference')
  if (values.key === undefined) throw new UsageError('--key FILE is required')
  const reference = parseImageReference(positionals[0] ?? '')
  const identity =
    values.identity ?? (reference.transport === 'docker' ? formatDockerReference(reference.ref) : undefined)
  if (identity === undefined) throw new UsageError('--identity REF is required to sign an oci: layout')
  const passphrase =
    values['passphrase-file'] === undefined
      ? undefined
      : (readText(values['passphrase-file'], '--passphrase-file').split('\n')[0] ?? '')
  const privateKey = readSigningKey(readBytes(values.key, '--key'), passphrase)
  const options = registryOptions(tlsVerifyFlag('tls-verify', values['tls-verify']), values.ca, {
    flag: 'creds',
    value: values.creds,
  })
  const source = openImageSource(reference, options)
  const destination = openImageDestination(reference, options)
  try {
    const result = await signImage({ source, destination, identity, privateKey })
    io.stdout(
      `Signed ${formatImageReference(reference)} (${result.manifestDigest}) as ${identity}: ${result.signatureTag}\n`,
    )
  } finally {
    await source.close()
    await destination.close()
  }
  return EXIT_OK
}
