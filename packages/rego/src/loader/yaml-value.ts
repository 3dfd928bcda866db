import { parseDocument, type Tags } from 'yaml'
import { RegoError } from '../errors.ts'
import { formatNumber, parseNumberLiteral, type RegoNumber } from '../value/number.ts'
import { RegoObject, type Value } from '../value/value.ts'

/** A YAML number scalar, kept as its source text until it is converted to a Rego number. */
class YamlNumber {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

export interface YamlOptions {
  /**
   * YAML spec version. '1.1' (the default) matches OPA, which reads YAML through goyaml.v2:
   * unquoted `y`/`yes`/`on` are booleans there.
   */
  readonly version?: '1.1' | '1.2'
}

/**
 * Parse a YAML document into a Rego value without losing number precision: number scalars keep
 * their source text and become exact integers (bigint beyond 2^53) or doubles. Map keys that are
 * not strings become their text (`0:` is the key "0", a 1.1 `y:` is "true"), as OPA's YAML-to-JSON
 * step does. Timestamps stay strings. Throws `invalid_argument` for malformed YAML or for values
 * JSON cannot hold (`.inf`, `.nan`, binary).
 */
export function parseYamlValue(text: string, options: YamlOptions = {}): Value {
  const doc = parseDocument(text, {
    version: options.version ?? '1.1',
    customTags: keepNumberText,
    uniqueKeys: true,
  })
  const first = doc.errors[0]
  if (first) throw new RegoError('invalid_argument', `invalid YAML: ${first.message}`)
  return toValue(doc.toJS({ mapAsMap: true, maxAliasCount: 10_000 }), '')
}

function isNumberTag(tag: string): boolean {
  return tag === 'tag:yaml.org,2002:int' || tag === 'tag:yaml.org,2002:float'
}

/** Number tags resolve to YamlNumber; sexagesimal numbers and timestamps (not in goyaml.v2) go. */
function keepNumberText(tags: Tags): Tags {
  const out: Tags = []
  for (const tag of tags) {
    if (typeof tag === 'string') {
      out.push(tag)
      continue
    }
    if (tag.tag === 'tag:yaml.org,2002:timestamp' || tag.format === 'TIME') continue
    if (isNumberTag(tag.tag) && 'test' in tag && tag.test) {
      out.push({ ...tag, resolve: (source: string) => new YamlNumber(source) })
    } else {
      out.push(tag)
    }
  }
  return out
}

function fail(path: string, message: string): never {
  throw new RegoError('invalid_argument', `invalid YAML value${path ? ` at ${path}` : ''}: ${message}`)
}

function toNumber(source: string, path: string): RegoNumber {
  let text = source.replace(/_/g, '')
  if (text.startsWith('+')) text = text.slice(1)
  const sign = text.startsWith('-') ? '-' : ''
  const body = sign ? text.slice(1) : text
  if (/^0b[01]+$/.test(body)) return toInteger(sign, BigInt(body), path)
  if (/^0x[0-9a-fA-F]+$/.test(body)) return toInteger(sign, BigInt(body), path)
  if (/^0[0-7]+$/.test(body)) return toInteger(sign, BigInt('0o' + body.slice(1)), path)
  // YAML allows `.5`, `1.` and `1e5`; JSON needs a digit on both sides of the point.
  const json = body.replace(/^\./, '0.').replace(/\.(?=[eE]|$)/, '.0')
  const n = parseNumberLiteral(sign + json)
  if (n === undefined) fail(path, `number ${source} cannot be represented`)
  return n
}

function toInteger(sign: string, magnitude: bigint, path: string): RegoNumber {
  const n = parseNumberLiteral(sign + magnitude.toString())
  if (n === undefined) fail(path, `bad integer ${sign}${magnitude}`)
  return n
}

function keyText(key: unknown, path: string): string {
  if (typeof key === 'string') return key
  if (key === null || key === undefined) return 'null'
  if (typeof key === 'boolean') return key ? 'true' : 'false'
  if (key instanceof YamlNumber) return formatNumber(toNumber(key.text, path))
  return fail(path, 'map keys must be scalars')
}

function toValue(x: unknown, path: string): Value {
  if (x === null || x === undefined) return null
  if (typeof x === 'string' || typeof x === 'boolean') return x
  if (x instanceof YamlNumber) return toNumber(x.text, path)
  if (Array.isArray(x)) return x.map((item, i) => toValue(item, `${path}[${i}]`))
  if (x instanceof Map) {
    const o = new RegoObject()
    for (const [k, v] of x) {
      const key = keyText(k, path)
      o.set(key, toValue(v, path ? `${path}.${key}` : key))
    }
    return o
  }
  return fail(path, `unsupported YAML type ${Object.prototype.toString.call(x)}`)
}
