import { parseResourcePath } from '@carapace/protocol'
import type { ResourcePath } from '@carapace/protocol'
import { OcicryptError } from './ocicrypt-error.ts'

/** A provider packet's `kid` resolved to the KBS resource that holds the KEK (spec §4.5). */
export interface KbsKeyId {
  resource: ResourcePath
  /** `host[:port]` when the kid names a KBS; absent for `kbs:///…` and `/…` (the guest's own KBS). */
  address?: string
  /** `kbs+<plugin>://…` */
  plugin?: string
}

const SCHEME = /^kbs(?:\+([A-Za-z0-9_-]+))?:\/\/([^/]*)\/(.*)$/

/**
 * Accepts `kbs:///<repo>/<type>/<tag>`, `kbs://<addr>/…`, `kbs+<plugin>://…`, `<addr>/<repo>/<type>/<tag>`
 * and `/<repo>/<type>/<tag>`. The kid comes from an untrusted manifest and ends up in a URL path,
 * so the resource must be three safe segments.
 */
export function parseKbsKeyId(kid: string): KbsKeyId {
  let address = ''
  let plugin: string | undefined
  let path: string
  const m = SCHEME.exec(kid)
  if (m) {
    plugin = m[1]
    address = m[2] ?? ''
    path = m[3] ?? ''
  } else if (kid.startsWith('/')) {
    path = kid.slice(1)
  } else {
    const parts = kid.split('/')
    if (parts.length !== 4) throw malformed(kid)
    address = parts[0] ?? ''
    path = parts.slice(1).join('/')
  }
  let resource: ResourcePath
  try {
    resource = parseResourcePath(path)
  } catch (cause) {
    throw malformed(kid, cause)
  }
  const out: KbsKeyId = { resource }
  if (address !== '') {
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(address)) throw malformed(kid)
    out.address = address
  }
  if (plugin !== undefined) out.plugin = plugin
  return out
}

function malformed(kid: string, cause?: unknown): OcicryptError {
  return new OcicryptError(
    'MALFORMED_ANNOTATION',
    `key id ${JSON.stringify(kid)} is not kbs:///<repository>/<type>/<tag>`,
    cause === undefined ? undefined : { cause },
  )
}
