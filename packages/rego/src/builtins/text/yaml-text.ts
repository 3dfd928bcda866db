import { parseAllDocuments, type Document, type Tags } from 'yaml'
import { RegoError } from '../../errors.ts'
import { formatNumber, normalizeBig, parseNumberLiteral } from '../../value/number.ts'
import { RegoObject, type Value } from '../../value/value.ts'
import { builtinError, stringArg } from '../args.ts'
import { decimalWordsUnits, wordsOfDigits } from '../big-integer-work.ts'
import { builtin, BuiltinError, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { chargeWork, WorkMeter } from '../work.ts'
import { formatFloat } from './go-float.ts'
import { yamlText } from './yaml-emit.ts'

/**
 * yaml.unmarshal reads YAML 1.1 as goyaml.v2 does (via sigs.k8s.io/yaml, then JSON): `yes`/`on`
 * are booleans, timestamps and sexagesimals stay strings, duplicate keys keep the last value,
 * only the first document counts, and numbers keep their precision.
 */

class YamlNumber {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

function isNumberTag(tag: string): boolean {
  return tag === 'tag:yaml.org,2002:int' || tag === 'tag:yaml.org,2002:float'
}

function goyamlTags(tags: Tags): Tags {
  const out: Tags = []
  for (const tag of tags) {
    if (typeof tag === 'string') out.push(tag)
    else if (tag.tag === 'tag:yaml.org,2002:timestamp' || tag.format === 'TIME') continue
    else if (isNumberTag(tag.tag) && 'test' in tag && tag.test) {
      out.push({ ...tag, resolve: (source: string) => new YamlNumber(source) })
    } else out.push(tag)
  }
  return out
}

function toNumber(source: string, meter: WorkMeter): number | bigint | string {
  const text = source.replace(/_/g, '')
  const m = /^([-+]?)(0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+|0[0-7]+|[0-9]+)$/.exec(text)
  if (m) {
    const sign = m[1] === '-' ? -1n : 1n
    const body = m[2] as string
    // Reading a huge integer is quadratic in its length.
    if (body.length > 15) meter.add(decimalWordsUnits(wordsOfDigits(body.length)))
    const magnitude = /^0[0-7]+$/.test(body) ? BigInt('0o' + body.slice(1)) : BigInt(body)
    return normalizeBig(sign * magnitude)
  }
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) {
    throw builtinError(`json: unsupported value: ${text.startsWith('-') ? '-' : '+'}Inf`)
  }
  if (/^\.(nan|NaN|NAN)$/.test(text)) throw builtinError('json: unsupported value: NaN')
  const json = text
    .replace(/^\+/, '')
    .replace(/^(-?)\./, '$10.')
    .replace(/\.(?=[eE]|$)/, '.0')
  // goyaml.v2 leaves a float that overflows float64 as the string it was.
  return parseNumberLiteral(json) ?? source
}

function keyText(key: unknown, meter: WorkMeter): string {
  if (typeof key === 'string') return key
  if (key === null || key === undefined) return 'null'
  if (typeof key === 'boolean') return key ? 'true' : 'false'
  if (key instanceof YamlNumber) {
    const n = toNumber(key.text, meter)
    if (typeof n === 'string') return n
    return typeof n === 'number' && !Number.isInteger(n) ? formatFloat(n, 'g', -1) : formatNumber(n)
  }
  throw builtinError('Unsupported map key of type: map')
}

/** The Rego value of what the YAML parser built; aliases make it share nodes, so each one written is counted. */
function toValue(x: unknown, meter: WorkMeter): Value {
  meter.add(1)
  if (x === null || x === undefined) return null
  if (typeof x === 'boolean') return x
  if (typeof x === 'string') {
    meter.addText(x.length)
    return x
  }
  if (x instanceof YamlNumber) return toNumber(x.text, meter)
  if (typeof x === 'number' || typeof x === 'bigint') return toNumber(String(x), meter)
  if (x instanceof Uint8Array) return new TextDecoder().decode(x)
  if (Array.isArray(x)) return x.map((e) => toValue(e, meter))
  if (x instanceof Set) return [...x].map((e) => toValue(e, meter))
  if (x instanceof Map) {
    const o = new RegoObject()
    for (const [k, v] of x) o.set(keyText(k, meter), toValue(v, meter))
    return o
  }
  throw builtinError(`yaml: unsupported value ${Object.prototype.toString.call(x)}`)
}

/** libyaml's wording for the errors a parse can hit, keyed on the yaml package's codes. */
function goyamlMessage(code: string, message: string): string {
  if (/flow sequence/i.test(message)) return "did not find expected ',' or ']'"
  if (/flow map/i.test(message)) return "did not find expected ',' or '}'"
  if (/closing .?quote/i.test(message)) return 'found unexpected end of stream'
  switch (code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'mapping values are not allowed in this context'
    case 'TAB_AS_INDENT':
      return 'found character that cannot start any token'
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN':
      return 'did not find expected key'
    default:
      return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').toLowerCase()
  }
}

function firstDocument(text: string): Document.Parsed | undefined {
  const docs = parseAllDocuments(text, { version: '1.1', customTags: goyamlTags, uniqueKeys: false, merge: true })
  return Array.isArray(docs) ? docs[0] : undefined
}

/** Parsing YAML costs this many units per character of text (it is far slower than JSON). */
const PARSE_UNITS_PER_CHAR = 4

export function parseGoYaml(text: string, ctx: BuiltinContext): Value {
  chargeWork(ctx, text.length * PARSE_UNITS_PER_CHAR)
  const doc = firstDocument(text)
  if (!doc) return null
  const first = doc.errors[0]
  if (first) {
    const line = first.linePos?.[0].line
    throw builtinError(`yaml: ${line !== undefined ? `line ${line}: ` : ''}${goyamlMessage(first.code, first.message)}`)
  }
  try {
    const meter = new WorkMeter(ctx)
    const value = toValue(doc.toJS({ mapAsMap: true, maxAliasCount: 10_000 }), meter)
    meter.done()
    return value
  } catch (e) {
    if (e instanceof BuiltinError || e instanceof RegoError) throw e
    if (e instanceof Error) throw builtinError(`yaml: ${e.message}`)
    throw e
  }
}

export const yamlBuiltins: readonly BuiltinDef[] = [
  builtin('yaml.marshal', 1, (args, ctx) => {
    const meter = new WorkMeter(ctx)
    const text = yamlText(args[0] ?? null, meter)
    meter.done()
    return text
  }),
  builtin('yaml.unmarshal', 1, (args, ctx) => parseGoYaml(stringArg(args, 0), ctx)),
  builtin('yaml.is_valid', 1, (args, ctx) => {
    const s = args[0]
    if (typeof s !== 'string') return false
    try {
      parseGoYaml(s, ctx)
      return true
    } catch (e) {
      // Running out of the evaluation's bounds is no answer.
      if (e instanceof RegoError) throw e
      return false
    }
  }),
]
