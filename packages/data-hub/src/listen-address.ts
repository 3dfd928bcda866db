import { isIP } from 'node:net'
import { CdhError } from './cdh-error.ts'

export interface ListenAddress {
  /** An IP literal (no brackets) or `localhost`. */
  readonly host: string
  readonly port: number
}

/** api-server-rest's default `--bind`. */
export const DEFAULT_CDH_LISTEN = '127.0.0.1:8006'

/** Parses `HOST:PORT`, `[IPv6]:PORT` or `localhost:PORT`; the host must be an IP literal or `localhost`. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(text)
  const host = match?.[1] ?? match?.[2]
  const port = Number(match?.[3])
  const hostOk =
    host !== undefined && (match?.[1] === undefined ? isIP(host) === 4 || host === 'localhost' : isIP(host) === 6)
  if (match === null || !hostOk || port > 65535) {
    throw new CdhError(
      'INVALID_OPTION',
      `listen address ${JSON.stringify(text)} is not HOST:PORT with an IPv4 address, [IPv6] address or localhost and a port up to 65535`,
    )
  }
  return { host, port }
}

/** Whether an address (listen host or peer) is on the loopback interface. */
export function isLoopbackAddress(address: string): boolean {
  if (address === 'localhost' || address === '::1') return true
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
  return isIP(v4) === 4 && v4.startsWith('127.')
}

/** `http://host:port` with IPv6 hosts bracketed. */
export function httpUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${String(port)}`
}
