import { createNodeFetch, type Fetch } from '@carapace/kbs-client'
import { CliFailure } from './cli-failure.ts'
import { UsageError } from './flags.ts'
import { readInputText } from './input-files.ts'
import type { KbsFailureContext } from './kbs-failure-message.ts'

/** `carapace kbs serve`'s default listen address (HTTPS, like Trustee's socket 127.0.0.1:8080). */
export const DEFAULT_KBS_URL = 'https://127.0.0.1:8080'

/** The flags naming the KBS, as Trustee's kbs-client spells them. */
export const KBS_TARGET_FLAGS = {
  url: { type: 'string' },
  'cert-file': { type: 'string' },
} as const

export interface KbsTarget extends KbsFailureContext {
  readonly fetch: Fetch
}

/** The KBS URL and a fetch that trusts --cert-file (a PEM certificate or CA) when given. */
export function kbsTarget(values: {
  readonly url?: string | undefined
  readonly 'cert-file'?: string | undefined
}): KbsTarget {
  const url = values.url ?? DEFAULT_KBS_URL
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError(`--url ${JSON.stringify(url)} is not a URL (e.g. ${DEFAULT_KBS_URL})`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`--url must be an http:// or https:// URL, got ${JSON.stringify(url)}`)
  }
  if (parsed.search !== '' || parsed.hash !== '') throw new UsageError('--url must not have a query or fragment')
  const certFile = values['cert-file']
  let ca: string | undefined
  if (certFile !== undefined) {
    ca = readInputText('--cert-file', certFile)
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new CliFailure(`--cert-file ${certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`)
    }
  }
  return { url, certFile, fetch: createNodeFetch(ca === undefined ? {} : { ca }) }
}
