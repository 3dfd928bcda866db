import { ProtocolError } from '../errors.ts'

export const DEFAULT_KBS_PLUGIN = 'resource'

/**
 * `kbs[+<plugin>]://[<host[:port]>]/<repository>/<type>/<tag>[?<query>]` (guest-components
 * `resource_uri`). The host is informative only: clients use their configured KBS URL.
 */
export interface ResourceUri {
  /** `host[:port]`, or `""` for `kbs:///…`. */
  kbsAddress: string
  /** `resource` for plain `kbs://`. */
  plugin: string
  repository: string
  type: string
  tag: string
  /** Text after `?`, without it; `undefined` when the URI has no `?`. */
  query: string | undefined
}

function invalid(text: string, why: string): ProtocolError {
  return new ProtocolError('INVALID_RESOURCE_PATH', `resource URI ${JSON.stringify(text)}: ${why}`)
}

/**
 * Parsed as a WHATWG URL (as upstream's `url` crate does). Like upstream, any scheme other than
 * `kbs`/`kbs+<plugin>` and any path other than three segments is refused; stricter than upstream,
 * empty segments (`kbs:///a//c`) are refused too, since no KBS plugin can serve them.
 * Errors use `INVALID_RESOURCE_PATH`.
 */
export function parseResourceUri(text: string): ResourceUri {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid(text, 'not a URI')
  }
  const scheme = url.protocol.slice(0, -1)
  let plugin: string
  if (scheme === 'kbs') plugin = DEFAULT_KBS_PLUGIN
  else if (scheme.startsWith('kbs+')) {
    plugin = scheme.slice('kbs+'.length)
    if (plugin === '') throw invalid(text, 'scheme kbs+ requires a plugin name, e.g. kbs+pkcs11')
  } else throw invalid(text, 'scheme must be kbs or kbs+<plugin>')
  const segments = url.pathname.split('/')
  if (segments.length !== 4 || segments[0] !== '' || segments.some((s, i) => i > 0 && s === '')) {
    throw invalid(text, 'path must be /<repository>/<type>/<tag>')
  }
  const [, repository = '', type = '', tag = ''] = segments
  const beforeFragment = text.split('#', 1)[0] ?? ''
  const query = beforeFragment.includes('?') ? url.search.slice(1) : undefined
  return { kbsAddress: url.host, plugin, repository, type, tag, query }
}

/** Upstream's `whole_uri()`: `kbs://` for the resource plugin, `kbs+<plugin>://` otherwise. */
export function resourceUriToString(uri: ResourceUri): string {
  const scheme = uri.plugin === DEFAULT_KBS_PLUGIN ? 'kbs' : `kbs+${uri.plugin}`
  const text = `${scheme}://${uri.kbsAddress}/${uri.repository}/${uri.type}/${uri.tag}`
  return uri.query === undefined ? text : `${text}?${uri.query}`
}

/** `repo/type/tag` of the URI (the key offline KBCs and the resource plugin use). */
export function resourceUriPath(uri: ResourceUri): string {
  return `${uri.repository}/${uri.type}/${uri.tag}`
}

/** `{base}/kbs/v0/{plugin}/{repo}/{type}/{tag}[?query]`; trailing `/` of `base` trimmed. */
export function toKbsUrl(base: string, uri: ResourceUri): string {
  const root = base.replace(/\/+$/, '')
  const url = `${root}/kbs/v0/${uri.plugin}/${resourceUriPath(uri)}`
  return uri.query === undefined ? url : `${url}?${uri.query}`
}
