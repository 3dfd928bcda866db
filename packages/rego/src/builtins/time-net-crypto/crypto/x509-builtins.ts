import { builtin, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { builtinError, objectArg, operandTypeError, stringArg } from '../../args.ts'
import { RegoSet, type Value } from '../../../value/value.ts'
import { goX509 } from './x509-errors.ts'
import { decodeStdBase64OrThrow } from './go-base64.ts'
import { goJsonToValue } from './go-value.ts'
import { decodePem } from './pem.ts'
import { privateKeyGoJson, privateKeysFromPem } from './private-keys.ts'
import { certificateJson, parseCertificates, type Certificate } from './x509-certificate.ts'
import { parseCertificateRequest } from './x509-request.ts'
import { verifyChain, type VerifyOptions } from './x509-verify.ts'
import { parseKeyPair } from './x509-keypair.ts'
import { chargeWork, PUBLIC_KEY_UNITS, WorkMeter } from '../../work.ts'

const BEGIN = '-----BEGIN'

function certsFromPem(data: Buffer): Certificate[] {
  const ders: Buffer[] = []
  let rest = data
  while (rest.length > 0) {
    const { block, rest: next } = decodePem(rest)
    if (block && block.type !== 'CERTIFICATE') {
      throw builtinError(`PEM block type is '${block.type}', expected CERTIFICATE`)
    }
    if (!block) break
    rest = next
    ders.push(block.bytes)
  }
  return goX509(() => parseCertificates(Buffer.concat(ders)))
}

/** OPA's getX509CertsFromString: PEM, base64 of PEM, or base64 of DER. */
export function certsFromString(text: string): Certificate[] {
  if (text.startsWith(BEGIN)) return certsFromPem(Buffer.from(text, 'utf8'))
  const der = decodeStdBase64OrThrow(text)
  if (der.subarray(0, BEGIN.length).toString('latin1') === BEGIN) return certsFromPem(der)
  return goX509(() => parseCertificates(der))
}

function nowMillis(ctx: BuiltinContext): number {
  return Number(ctx.nowNs / 1_000_000n)
}

const UNVERIFIED: Value = [false, []]

/** Root first, leaf last, intermediates in between; at least two certificates. */
function verifyCertificates(certs: Certificate[], opts: VerifyOptions, ctx: BuiltinContext): Certificate[] | undefined {
  if (certs.length < 2) return undefined
  const leaf = certs[certs.length - 1] as Certificate
  const meter = new WorkMeter(ctx)
  const chain = verifyChain(leaf, [certs[0] as Certificate], certs.slice(1, -1), opts, meter)
  meter.done()
  return chain
}

/**
 * A PEM, base64 or DER operand: charged by its length (decoding and parsing it take about a
 * step's work per character, and a certificate's text is short).
 */
function pemArg(args: readonly Value[], i: number, ctx: BuiltinContext): string {
  const text = stringArg(args, i)
  chargeWork(ctx, text.length)
  return text
}

const KEY_USAGES: Readonly<Record<string, number>> = {
  KeyUsageAny: 0,
  KeyUsageServerAuth: 1,
  KeyUsageClientAuth: 2,
  KeyUsageCodeSigning: 3,
  KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5,
  KeyUsageIPSECTunnel: 6,
  KeyUsageIPSECUser: 7,
  KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9,
  KeyUsageMicrosoftServerGatedCrypto: 10,
  KeyUsageNetscapeServerGatedCrypto: 11,
  KeyUsageMicrosoftCommercialCodeSigning: 12,
  KeyUsageMicrosoftKernelCodeSigning: 13,
}

/** OPA's extractVerifyOpts, in key order, with its error texts. */
function verifyOptions(options: Value, ctx: BuiltinContext): VerifyOptions {
  const opts: VerifyOptions = { dnsName: '', currentTime: nowMillis(ctx), keyUsages: [] }
  if (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof RegoSet)
    return opts
  for (const [key, value] of options.entries()) {
    if (typeof key !== 'string') continue
    switch (key) {
      case 'DNSName':
        if (typeof value !== 'string') throw builtinError("'DNSName' should be a string")
        opts.dnsName = value.replace(/^"+|"+$/g, '')
        break
      case 'CurrentTime': {
        if (typeof value !== 'number' && typeof value !== 'bigint')
          throw builtinError("'CurrentTime' should be a number")
        const ns = typeof value === 'bigint' ? value : Number.isInteger(value) ? BigInt(value) : undefined
        if (ns === undefined || ns < -(1n << 63n) || ns >= 1n << 63n) {
          throw builtinError("'CurrentTime' should be a valid int64 number")
        }
        opts.currentTime = Number(ns / 1_000_000n)
        break
      }
      case 'MaxConstraintComparisons':
        if (typeof value !== 'number' && typeof value !== 'bigint') {
          throw builtinError("'MaxConstraintComparisons' should be a number")
        }
        if (typeof value === 'number' && !Number.isInteger(value)) {
          throw builtinError("'MaxConstraintComparisons' should be a valid number")
        }
        break
      case 'KeyUsages': {
        let items: readonly Value[]
        if (Array.isArray(value)) items = value
        else if (value instanceof RegoSet) items = value.values()
        else throw builtinError("'KeyUsages' should be an Array or Set")
        const invalid: string[] = []
        for (const item of items) {
          if (typeof item !== 'string') continue
          const name = item.replace(/^"+|"+$/g, '')
          const usage = KEY_USAGES[name]
          if (usage === undefined) invalid.push(name)
          else opts.keyUsages.push(usage)
        }
        if (invalid.length > 0) throw builtinError(`invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`)
        break
      }
      default:
        throw builtinError('invalid key option')
    }
  }
  return opts
}

function parseAndVerify(text: string, opts: () => VerifyOptions, withUris: boolean, ctx: BuiltinContext): Value {
  let certs: Certificate[]
  try {
    certs = certsFromString(text)
  } catch {
    return UNVERIFIED
  }
  const chain = verifyCertificates(certs, opts(), ctx)
  if (!chain) return UNVERIFIED
  return [true, chain.map((c) => goJsonToValue(withUris ? certificateJson(c) : c.json))]
}

function parseRequest(text: string): Value {
  let bytes: Buffer = Buffer.from(text, 'utf8')
  if (!text.startsWith('-----BEGIN CERTIFICATE REQUEST-----')) bytes = decodeStdBase64OrThrow(text)
  const { block } = decodePem(bytes)
  if (block && block.type !== 'CERTIFICATE REQUEST')
    throw builtinError('invalid PEM-encoded certificate signing request')
  const der = block ? block.bytes : bytes
  return goJsonToValue(goX509(() => parseCertificateRequest(der), 'asn1: structure error'))
}

function parseRsaPrivateKey(text: string): Value {
  if (text === '') throw builtinError('input PEM data was empty')
  let pem = text
  if (!text.startsWith(BEGIN)) pem = decodeStdBase64OrThrow(text).toString('latin1')
  const keys = privateKeysFromPem(pem)
  const first = keys[0]
  if (!first) return null
  const jwk = first.key.export({ format: 'jwk' })
  return goJsonToValue(jwk as Record<string, string>)
}

function parsePrivateKeys(text: string): Value {
  if (text === '') return null
  const keys = privateKeysFromPem(text)
  return keys.map((k) => goJsonToValue(privateKeyGoJson(k)))
}

export const x509Builtins: readonly BuiltinDef[] = [
  builtin('crypto.x509.parse_certificates', 1, (args, ctx) =>
    certsFromString(pemArg(args, 0, ctx)).map((c) => goJsonToValue(certificateJson(c))),
  ),
  builtin('crypto.x509.parse_and_verify_certificates', 1, (args, ctx) => {
    const text = pemArg(args, 0, ctx)
    return parseAndVerify(text, () => ({ dnsName: '', currentTime: nowMillis(ctx), keyUsages: [] }), true, ctx)
  }),
  builtin('crypto.x509.parse_and_verify_certificates_with_options', 2, (args, ctx) => {
    const text = pemArg(args, 0, ctx)
    const options = objectArg(args, 1)
    return parseAndVerify(text, () => verifyOptions(options, ctx), false, ctx)
  }),
  builtin('crypto.x509.parse_certificate_request', 1, (args, ctx) => parseRequest(pemArg(args, 0, ctx))),
  builtin('crypto.x509.parse_keypair', 2, (args, ctx) => {
    const cert = args[0] ?? null
    if (typeof cert !== 'string') throw operandTypeError(1, 'string', cert)
    const key = args[1] ?? null
    if (typeof key !== 'string') throw operandTypeError(1, 'string', key)
    chargeWork(ctx, cert.length + key.length + PUBLIC_KEY_UNITS)
    return parseKeyPair(cert, key)
  }),
  builtin('crypto.x509.parse_rsa_private_key', 1, (args, ctx) => parseRsaPrivateKey(pemArg(args, 0, ctx))),
  builtin('crypto.parse_private_keys', 1, (args, ctx) => parsePrivateKeys(pemArg(args, 0, ctx))),
]
