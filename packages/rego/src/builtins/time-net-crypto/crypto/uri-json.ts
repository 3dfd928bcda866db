import type { GoJson } from './go-value.ts'

/**
 * A URI as Go's *url.URL marshals to JSON. Only the common "scheme://[user@]host/path?query#frag"
 * and "scheme:opaque" forms are split; the text is not re-escaped.
 */
export function uriJson(text: string): GoJson {
  const out: { [key: string]: GoJson } = {
    Scheme: '',
    Opaque: '',
    User: null,
    Host: '',
    Path: '',
    RawPath: '',
    OmitHost: false,
    ForceQuery: false,
    RawQuery: '',
    Fragment: '',
    RawFragment: '',
  }
  let rest = text
  const hash = rest.indexOf('#')
  if (hash >= 0) {
    out['Fragment'] = decodeURIComponentSafe(rest.slice(hash + 1))
    rest = rest.slice(0, hash)
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest)
  if (scheme) {
    out['Scheme'] = (scheme[1] as string).toLowerCase()
    rest = rest.slice(scheme[0].length)
  }
  const q = rest.indexOf('?')
  if (q >= 0) {
    out['RawQuery'] = rest.slice(q + 1)
    out['ForceQuery'] = q === rest.length - 1
    rest = rest.slice(0, q)
  }
  if (scheme && !rest.startsWith('/')) {
    out['Opaque'] = rest
    return out
  }
  if (rest.startsWith('//')) {
    const authorityEnd = rest.indexOf('/', 2)
    let authority = authorityEnd < 0 ? rest.slice(2) : rest.slice(2, authorityEnd)
    rest = authorityEnd < 0 ? '' : rest.slice(authorityEnd)
    const at = authority.lastIndexOf('@')
    if (at >= 0) {
      out['User'] = {}
      authority = authority.slice(at + 1)
    }
    out['Host'] = authority
  }
  out['Path'] = decodeURIComponentSafe(rest)
  return out
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
