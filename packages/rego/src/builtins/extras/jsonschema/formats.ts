import { isIP } from 'node:net'
import { RE2JS } from 're2js'

/** The `format` checks gojsonschema knows; unknown formats and non-strings always pass. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([zZ]|[+-]\d{2}:\d{2})$/
const EMAIL = /^[^@\s]+@[^@\s]+$/
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/
const JSON_POINTER = /^(\/([^/~]|~[01])*)*$/
const RELATIVE_JSON_POINTER = /^(0|[1-9][0-9]*)(#|(\/([^/~]|~[01])*)*)$/
const URI_TEMPLATE = /^([^{}]|\{[^{}]+\})*$/

function isDate(s: string): boolean {
  const m = DATE.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate()
}

function isTime(s: string): boolean {
  const m = TIME.exec(s)
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3]) < 61
}

function isDateTime(s: string): boolean {
  const t = s.search(/[tT]/)
  return t === 10 && isDate(s.slice(0, 10)) && isTime(s.slice(11))
}

function isUri(s: string, requireScheme: boolean): boolean {
  if (/\s/.test(s)) return false
  try {
    if (requireScheme && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s)) return false
    return URL.canParse(s, requireScheme ? undefined : 'http://base.invalid/')
  } catch {
    return false
  }
}

function isRegex(s: string): boolean {
  try {
    RE2JS.compile(s)
    return true
  } catch {
    return false
  }
}

const CHECKERS: Record<string, (s: string) => boolean> = {
  date: isDate,
  time: isTime,
  'date-time': isDateTime,
  email: (s) => EMAIL.test(s),
  'idn-email': (s) => EMAIL.test(s),
  hostname: (s) => HOSTNAME.test(s),
  ipv4: (s) => isIP(s) === 4,
  ipv6: (s) => isIP(s) === 6,
  uri: (s) => isUri(s, true),
  iri: (s) => isUri(s, true),
  'uri-reference': (s) => isUri(s, false),
  'iri-reference': (s) => isUri(s, false),
  'uri-template': (s) => URI_TEMPLATE.test(s),
  uuid: (s) => UUID.test(s),
  regex: isRegex,
  'json-pointer': (s) => JSON_POINTER.test(s),
  'relative-json-pointer': (s) => RELATIVE_JSON_POINTER.test(s),
}

export function matchesFormat(format: string, value: unknown): boolean {
  const check = CHECKERS[format]
  if (!check || typeof value !== 'string') return true
  return check(value)
}
