import { KbsClientError } from '@carapace/kbs-client'
import { kbsErrorVariant } from '@carapace/protocol'

/** What the command knows about how it reached the KBS, for hints in error messages. */
export interface KbsFailureContext {
  readonly url: string
  readonly certFile: string | undefined
  /** How admin credentials were chosen (config commands only). */
  readonly adminCredentials?: string
}

/** TLS verification failures that mean "this certificate is not one you trust". */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
])

/** The first `code` property along an error's cause chain (Node's system and TLS errors carry one). */
function causeCode(e: unknown): string | undefined {
  let current: unknown = e
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && !(current instanceof KbsClientError)) return code
    current = current.cause
  }
  return undefined
}

function networkMessage(e: KbsClientError, context: KbsFailureContext): string {
  const code = causeCode(e)
  const host = (() => {
    try {
      return new URL(context.url).host
    } catch {
      return context.url
    }
  })()
  if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) {
    const hint =
      context.certFile === undefined
        ? 'pass --cert-file with the KBS certificate (carapace kbs serve writes it to carapace-data/tls/server-cert.pem)'
        : `--cert-file ${context.certFile} is not the certificate the KBS serves, nor its issuer`
    return `certificate not trusted (${code}) for ${host}: ${hint}`
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `the KBS certificate at ${host} is not valid now (${code})`
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the KBS certificate does not name ${host} (${code}): use the host name or address it was issued for`
  }
  if (code === 'ECONNREFUSED') return `cannot reach the KBS at ${context.url}: connection refused (is it running?)`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot reach the KBS at ${context.url}: unknown host`
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return `TLS handshake with ${host} failed (${code}): is the KBS serving plain HTTP? then use an http:// URL`
  }
  if (code === 'ECONNRESET' && context.url.startsWith('http:')) {
    return `the KBS at ${host} closed the connection: if it serves HTTPS, use an https:// URL`
  }
  return `cannot reach the KBS at ${context.url}: ${e.message}`
}

function httpMessage(e: KbsClientError, context: KbsFailureContext): string {
  const status = `KBS answered ${String(e.status)}`
  const first = e.message.includes('KBS answered ')
    ? e.message.replace(/: KBS answered .*$/s, `: ${status}`)
    : `${e.message} (${status})`
  const lines = [first]
  if (e.info !== undefined) lines.push(`  ${JSON.stringify(e.info)}`)
  const variant = e.info === undefined ? undefined : kbsErrorVariant(e.info)
  const adminRefused = variant === undefined ? e.status === 401 || e.status === 403 : variant.startsWith('AdminAuth')
  if (adminRefused && context.adminCredentials !== undefined) {
    lines.push(`  admin credentials used: ${context.adminCredentials}`)
  }
  return lines.join('\n')
}

/** A message for an operator: what failed, the KBS's own error body, and what to try. */
export function kbsFailureMessage(e: KbsClientError, context: KbsFailureContext): string {
  if (e.code === 'NETWORK') return networkMessage(e, context)
  if (e.status !== undefined) return httpMessage(e, context)
  return e.message
}
