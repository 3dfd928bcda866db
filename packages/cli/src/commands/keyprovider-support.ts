import { cocoKeyProviderFromSettings, type KeyProviderClient } from '@carapace/image'
import { UsageError } from '../flags.ts'

/** Flags both key-provider modes share. */
export const KBS_PROVIDER_FLAGS = {
  kbs: { type: 'string' },
  'kbs-cert': { type: 'string' },
  'admin-key': { type: 'string' },
  'allow-keypath': { type: 'boolean' },
  'allow-sample': { type: 'boolean' },
  'unwrap-key': { type: 'string', multiple: true },
} as const

export const KBS_PROVIDER_USAGE = `      --kbs URL            the KBS each new KEK is stored in (admin API); required unless
                           every request names keypath= (needs --allow-keypath)
      --kbs-cert FILE      PEM certificate(s) to trust for the KBS
      --admin-key FILE     the KBS admin private key (tokens are minted per request)
      --allow-keypath      honour keypath=FILE in requests: the provider reads a 32-byte KEK
                           from a file its caller names (and stores it in the KBS); off by default
      --allow-sample       honour sample=true (a public test KEK: development only)
      --unwrap-key KID=FILE
                           answer UnWrapKey for KID with the 32-byte KEK in FILE (repeatable);
                           without it UnWrapKey is UNIMPLEMENTED (the guest's CDH unwraps)`

/** `KID=FILE`, split at the first `=` (a KBS resource URI has none). */
function unwrapKeyFlag(text: string): { kid: string; path: string } {
  const eq = text.indexOf('=')
  if (eq <= 0 || eq === text.length - 1)
    throw new UsageError(`--unwrap-key needs KID=FILE, got ${JSON.stringify(text)}`)
  return { kid: text.slice(0, eq), path: text.slice(eq + 1) }
}

/** The CoCo attestation-agent provider configured by the shared flags (files read and checked up front). */
export function cocoProviderFrom(values: {
  readonly kbs?: string | undefined
  readonly 'kbs-cert'?: string | undefined
  readonly 'admin-key'?: string | undefined
  readonly 'allow-keypath'?: boolean | undefined
  readonly 'allow-sample'?: boolean | undefined
  readonly 'unwrap-key'?: readonly string[] | undefined
}): Promise<KeyProviderClient> {
  const url = values.kbs
  const adminKey = values['admin-key']
  if ((url === undefined) !== (adminKey === undefined)) throw new UsageError('--kbs and --admin-key go together')
  if (values['kbs-cert'] !== undefined && url === undefined) throw new UsageError('--kbs-cert goes with --kbs')
  const certFile = values['kbs-cert']
  return cocoKeyProviderFromSettings({
    ...(url === undefined ? {} : { kbsUrl: url }),
    ...(adminKey === undefined ? {} : { kbsAdminKeyPath: adminKey }),
    ...(certFile === undefined ? {} : { kbsCaPath: certFile }),
    unwrapKeys: (values['unwrap-key'] ?? []).map(unwrapKeyFlag),
    allowSample: values['allow-sample'] === true,
    allowKeyPath: values['allow-keypath'] === true,
  })
}
