import { createNodeFetch } from '@carapace/kbs-client'
import { createCocoKeyProvider, kbsKekRegistrar, type KeyProviderClient } from '@carapace/image'
import { UsageError } from '../flags.ts'
import { readText } from './image-cli-support.ts'

/** Flags both key-provider modes share. */
export const KBS_PROVIDER_FLAGS = {
  kbs: { type: 'string' },
  'kbs-cert': { type: 'string' },
  'admin-key': { type: 'string' },
} as const

export const KBS_PROVIDER_USAGE = `      --kbs URL            the KBS each new KEK is stored in (admin API); required unless
                           every request names keypath= (a KEK file you keep)
      --kbs-cert FILE      PEM certificate(s) to trust for the KBS
      --admin-key FILE     the KBS admin private key (tokens are minted per request)`

/** The CoCo attestation-agent provider, registering KEKs in the KBS when --kbs is given. */
export function cocoProviderFrom(values: {
  readonly kbs?: string | undefined
  readonly 'kbs-cert'?: string | undefined
  readonly 'admin-key'?: string | undefined
}): KeyProviderClient {
  const url = values.kbs
  const adminKey = values['admin-key']
  if ((url === undefined) !== (adminKey === undefined)) throw new UsageError('--kbs and --admin-key go together')
  if (values['kbs-cert'] !== undefined && url === undefined) throw new UsageError('--kbs-cert goes with --kbs')
  if (url === undefined || adminKey === undefined) return createCocoKeyProvider()
  const certFile = values['kbs-cert']
  const registrar = kbsKekRegistrar({
    url,
    adminKeyPem: readText(adminKey, '--admin-key'),
    fetch: createNodeFetch(certFile === undefined ? {} : { ca: readText(certFile, '--kbs-cert') }),
  })
  return createCocoKeyProvider({ registrar })
}
