import { randomBytes } from 'node:crypto'
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A Bearer-token front for a registry: a token endpoint plus a proxy that demands its tokens. */
export interface TokenAuthFront {
  readonly host: string
  /** Scopes of the tokens issued so far, in order. */
  readonly issued: string[]
  /** The token requests: whether each carried an Authorization header, and its `account`. */
  readonly tokenRequests: { readonly authorized: boolean; readonly account: string | null }[]
  /** Requests refused with 401. */
  readonly refused: () => number
  stop(): Promise<void>
}

export interface TokenAuthFrontOptions {
  readonly upstreamPort: number
  /** When set, the token endpoint demands these Basic credentials. */
  readonly credentials?: { readonly username: string; readonly password: string }
  /**
   * As Docker Hub for public repositories: a token request without an Authorization header gets a
   * token, but only for `pull` (push actions are dropped from the scope); with one, `credentials` apply.
   */
  readonly anonymousPull?: boolean
  readonly service?: string
}

/**
 * Stands in for a token server (docker-registry's own token auth needs certificates): GET /token
 * issues random tokens for the requested scope; every /v2/ request must carry a token whose scope
 * grants the repository and action (pull for GET/HEAD, push otherwise), else 401 with the
 * distribution-style `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge.
 */
export async function startTokenAuthFront(options: TokenAuthFrontOptions): Promise<TokenAuthFront> {
  const tokens = new Map<string, string>()
  const issued: string[] = []
  const tokenRequests: { authorized: boolean; account: string | null }[] = []
  const service = options.service ?? 'carapace-test-registry'
  let refused = 0
  let realm = ''

  const tokenEndpoint = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const anonymous = req.headers.authorization === undefined
    tokenRequests.push({ authorized: !anonymous, account: url.searchParams.get('account') })
    if (options.credentials !== undefined && !(anonymous && options.anonymousPull === true)) {
      const expected = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}')
        return
      }
    }
    if (url.searchParams.get('service') !== service) {
      res.writeHead(400).end('wrong service')
      return
    }
    const requested = url.searchParams.get('scope') ?? ''
    const scope =
      anonymous && options.anonymousPull === true
        ? requested
            .split(' ')
            .map((s) => s.replace(/^(repository:[^:]+):.*$/, '$1:pull'))
            .join(' ')
        : requested
    const token = randomBytes(16).toString('hex')
    tokens.set(token, scope)
    issued.push(scope)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }))
  }

  const grants = (scope: string, repo: string, action: string): boolean =>
    scope.split(' ').some((s) => {
      const [kind, name, actions] = s.split(':')
      return kind === 'repository' && name === repo && (actions ?? '').split(',').includes(action)
    })

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front')
    if (url.pathname === '/token') {
      tokenEndpoint(req, res, url)
      return
    }
    const repo = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(url.pathname)?.[1]
    const action = req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'push'
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const scope = token === undefined ? undefined : tokens.get(token)
    const ok = scope !== undefined && (repo === undefined || grants(scope, repo, action))
    if (!ok) {
      refused++
      const wanted = repo === undefined ? '' : `,scope="repository:${repo}:${action === 'pull' ? 'pull' : 'pull,push'}"`
      req.resume()
      res
        .writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Bearer realm="${realm}",service="${service}"${wanted}`,
        })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
      return
    }
    const headers = { ...req.headers }
    delete headers.authorization
    const upstream = request(
      { host: '127.0.0.1', port: options.upstreamPort, method: req.method, path: req.url, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  realm = `http://127.0.0.1:${port}/token`
  return {
    host: `127.0.0.1:${port}`,
    issued,
    tokenRequests,
    refused: () => refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}
