/** A parsed `WWW-Authenticate` challenge: the scheme in lower case and its parameters. */
export interface AuthChallenge {
  readonly scheme: string
  readonly params: Readonly<Record<string, string>>
}

/**
 * Parses `WWW-Authenticate` values such as `Bearer realm="https://auth/token",service="reg",scope="repository:a:pull"`
 * (RFC 7235 auth-params; quoted strings may hold commas and escaped quotes). Unparseable parts are skipped.
 */
export function parseAuthChallenges(header: string | readonly string[] | undefined): AuthChallenge[] {
  if (header === undefined) return []
  const values = typeof header === 'string' ? [header] : header
  const out: AuthChallenge[] = []
  for (const value of values) {
    const re = /\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*/y
    let pos = 0
    while (pos < value.length) {
      re.lastIndex = pos
      const scheme = re.exec(value)
      if (!scheme?.[1]) break
      pos = re.lastIndex
      const params: Record<string, string> = {}
      const param = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(,|$)/y
      for (;;) {
        param.lastIndex = pos
        const m = param.exec(value)
        if (!m?.[1]) break
        params[m[1].toLowerCase()] = m[2] === undefined ? (m[3] ?? '') : m[2].replace(/\\(.)/g, '$1')
        pos = param.lastIndex
      }
      out.push({ scheme: scheme[1].toLowerCase(), params })
      while (pos < value.length && (value[pos] === ',' || value[pos] === ' ')) pos++
    }
  }
  return out
}
