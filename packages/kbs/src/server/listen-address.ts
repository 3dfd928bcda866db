import { KbsServerError } from './server-error.ts'

export interface ListenAddress {
  readonly host: string
  readonly port: number
}

/** `IPv4:port`, `[IPv6]:port` or `hostname:port` (port 0: any free port). */
export function parseListenAddress(text: string, what = '--listen'): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text)
  const port = Number(match?.[3])
  const host = match?.[1] ?? match?.[2]
  if (match === null || host === undefined || port > 65535) {
    throw new KbsServerError(
      'INVALID_ARGUMENT',
      `${what}: expected HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), got ${JSON.stringify(text)}`,
    )
  }
  return { host, port }
}

/** The URL clients use for a bound address; a wildcard bind is reached over loopback. */
export function urlOf(scheme: 'http' | 'https', host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  return `${scheme}://${reachable.includes(':') ? `[${reachable}]` : reachable}:${String(port)}`
}
