import { parseErrorInformation, type ErrorInformation } from '@carapace/protocol'
import { KbsClientError, type KbsClientErrorCode } from './kbs-client-error.ts'

export type Fetch = typeof globalThis.fetch

/** The KBS API root for a configured URL: trailing slashes trimmed, `/kbs/v0` appended. */
export function kbsApiRoot(url: string): string {
  return `${url.replace(/\/+$/, '')}/kbs/v0`
}

export async function send(fetch: Fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    throw new KbsClientError('NETWORK', `${init.method ?? 'GET'} ${url}: ${detail}`, { cause })
  }
}

export async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await readText(response, what)
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new KbsClientError('PROTOCOL', `${what}: response body is not JSON`, { cause, status: response.status })
  }
}

async function readText(response: Response, what: string): Promise<string> {
  try {
    return await response.text()
  } catch (cause) {
    throw new KbsClientError('NETWORK', `${what}: reading the response failed`, { cause, status: response.status })
  }
}

/** The KBS's `ErrorInformation`, or `undefined` when the body is not one. */
export async function readErrorInformation(response: Response): Promise<ErrorInformation | undefined> {
  let text: string
  try {
    text = await response.text()
  } catch {
    return undefined
  }
  try {
    return parseErrorInformation(JSON.parse(text))
  } catch {
    return undefined
  }
}

/** An error for a failed response, carrying the upstream `ErrorInformation` when present. */
export async function responseError(
  code: KbsClientErrorCode,
  what: string,
  response: Response,
): Promise<KbsClientError> {
  const info = await readErrorInformation(response)
  const detail = info === undefined ? '' : `: ${info.detail} (${info.type})`
  return new KbsClientError(code, `${what}: KBS answered ${String(response.status)}${detail}`, {
    status: response.status,
    ...(info === undefined ? {} : { info }),
  })
}
