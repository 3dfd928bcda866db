import { createHash, createHmac } from 'node:crypto'

/** AWS Signature Version 4 over a request, as OPA's internal/providers/aws signs it. */

export interface AwsCredentials {
  readonly accessKey: string
  readonly secretKey: string
  readonly region: string
  readonly sessionToken: string
}

export interface SignInput {
  /** Request headers, names as given. */
  readonly headers: ReadonlyMap<string, string>
  readonly method: string
  /** `host[:port]` of the URL. */
  readonly host: string
  /** The URL path, escaped as in the URL. */
  readonly escapedPath: string
  /** The query string without `?`. */
  readonly rawQuery: string
  readonly body: Buffer
  readonly service: string
  readonly credentials: AwsCredentials
  readonly timeMs: number
  readonly disablePayloadSigning: boolean
}

/** Headers that proxies may change, so they are never signed (as the AWS SDKs do). */
const IGNORED_HEADERS = new Set(['authorization', 'user-agent', 'x-amzn-trace-id'])

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function hmac(key: string | Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest()
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** Returns the Authorization header value and the AWS headers to add to the request. */
export function signV4(input: SignInput): { authorization: string; awsHeaders: Map<string, string> } {
  const payloadHash = input.disablePayloadSigning ? 'UNSIGNED-PAYLOAD' : sha256Hex(input.body)
  const t = new Date(input.timeMs)
  const date = `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}`
  const stamp = `${date}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}Z`
  const { credentials: creds, service } = input

  const awsHeaders = new Map<string, string>([
    ['host', input.host],
    ['x-amz-date', stamp],
  ])
  // S3 and Glacier require the payload hash header; other services do not.
  if (service === 's3' || service === 'glacier') awsHeaders.set('x-amz-content-sha256', payloadHash)
  if (creds.sessionToken !== '') awsHeaders.set('x-amz-security-token', creds.sessionToken)

  const toSign = new Map(awsHeaders)
  for (const [name, value] of input.headers) {
    const lower = name.toLowerCase()
    if (!IGNORED_HEADERS.has(lower)) toSign.set(lower, value)
  }
  const names = [...toSign.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const signedHeaders = names.join(';')
  const canonical =
    `${input.method}\n${input.escapedPath}\n${input.rawQuery}\n` +
    names.map((n) => `${n}:${toSign.get(n)}\n`).join('') +
    `\n${signedHeaders}\n${payloadHash}`

  const scope = `${date}/${creds.region}/${service}/aws4_request`
  const stringToSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256Hex(canonical)}`
  let key = hmac('AWS4' + creds.secretKey, date)
  key = hmac(key, creds.region)
  key = hmac(key, service)
  key = hmac(key, 'aws4_request')
  const signature = hmac(key, stringToSign).toString('hex')

  const authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKey}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`
  return { authorization, awsHeaders }
}
