/**
 * A minimal cookie store for one KBS origin: `name=value` pairs from `Set-Cookie`, honouring
 * `Expires` and `Max-Age` (Max-Age wins, as RFC 6265 says). Domain and Path are ignored: the jar
 * belongs to one client talking to one KBS, whose cookies all sit under `/kbs/v0`.
 */
export class CookieJar {
  readonly #cookies = new Map<string, { value: string; expiresAtMs: number | undefined }>()
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** Stores one `Set-Cookie` header value; malformed ones are ignored, as browsers do. */
  store(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(';')
    const equals = pair.indexOf('=')
    if (equals <= 0) return
    const name = pair.slice(0, equals).trim()
    const value = pair.slice(equals + 1).trim()
    if (name === '') return
    let expiresAtMs: number | undefined
    let maxAgeSeen = false
    for (const attribute of attributes) {
      const eq = attribute.indexOf('=')
      const key = (eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase()
      const argument = eq < 0 ? '' : attribute.slice(eq + 1).trim()
      if (key === 'max-age' && /^-?\d+$/.test(argument)) {
        maxAgeSeen = true
        const seconds = Number(argument)
        expiresAtMs = seconds <= 0 ? -Infinity : this.#now() + seconds * 1000
      } else if (key === 'expires' && !maxAgeSeen) {
        const parsed = Date.parse(argument)
        if (!Number.isNaN(parsed)) expiresAtMs = parsed
      }
    }
    if (expiresAtMs !== undefined && expiresAtMs <= this.#now()) {
      this.#cookies.delete(name)
      return
    }
    this.#cookies.set(name, { value, expiresAtMs })
  }

  storeAll(headers: Headers): void {
    for (const setCookie of headers.getSetCookie()) this.store(setCookie)
  }

  get(name: string): string | undefined {
    this.#dropExpired()
    return this.#cookies.get(name)?.value
  }

  /** The `Cookie` request header, or `undefined` when the jar holds nothing live. */
  header(): string | undefined {
    this.#dropExpired()
    if (this.#cookies.size === 0) return undefined
    return [...this.#cookies].map(([name, cookie]) => `${name}=${cookie.value}`).join('; ')
  }

  clear(): void {
    this.#cookies.clear()
  }

  #dropExpired(): void {
    const now = this.#now()
    for (const [name, cookie] of this.#cookies) {
      if (cookie.expiresAtMs !== undefined && cookie.expiresAtMs <= now) this.#cookies.delete(name)
    }
  }
}
